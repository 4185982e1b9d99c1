import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.normlab.data.DataSplit;
import org.normlab.data.FashionMnist;
import org.normlab.data.FloatBatch;
import org.normlab.data.ImageSet;
import org.normlab.data.ImageShape;
import org.normlab.data.TransformPipeline;
import org.normlab.data.Transforms;

/**
 * The reference bench/test_noise_parity.py checks bench/normlab_data.py against: the JDK's
 * SplittableRandom and NormLab's own data classes, one line per value set.
 *   java -cp data/target/classes bench/NormLabDataReference.java
 */
public class NormLabDataReference {

    public static void main(String[] args) {
        for (long seed : new long[] {1, 42, -7}) {
            SplittableRandom r = new SplittableRandom(seed);
            StringBuilder line = new StringBuilder("rng " + seed);
            for (int bound : new int[] {2, 10, 16, 1_500_000_001, 1 << 30, 1_999_999_999, 7, 3}) {
                for (int k = 0; k < 4; k++) {
                    line.append(' ').append(r.nextInt(bound));
                }
            }
            line.append(' ').append(r.nextInt()).append(' ').append(r.nextLong());
            for (int k = 0; k < 4; k++) {
                line.append(' ').append(Double.toString(r.nextDouble()));
            }
            System.out.println(line);
        }
        DataSplit fashion = FashionMnist.load();
        for (long seed : new long[] {1, 2}) {
            System.out.println("train " + seed + " " + join(pickedIndices(fashion.train(), 2000, seed)));
            System.out.println("test " + seed + " " + join(pickedIndices(fashion.test(), 1000, seed)));
            ImageSet sub = fashion.train().subset(2000, seed);
            double[] mean = sub.channelMeans();
            double[] std = sub.channelStds();
            System.out.println("stats " + seed + " " + mean[0] + " " + std[0]);
            // The eval pipeline of a trial with data.size 32: v / 255, resize 32, normalize.
            TransformPipeline pipeline = TransformPipeline.of(Transforms.resize(32), Transforms.normalize(mean, std));
            FloatBatch batch = new FloatBatch();
            pipeline.apply(sub, new int[] {0, 1, 2}, 0, 3, batch, new SplittableRandom(0));
            float[] data = batch.data();
            int size = batch.n() * batch.shape().size();
            System.out.println("pipeline " + seed + " " + batch.shape().height() + " "
                    + IntStream.range(0, size).mapToObj(i -> Float.toString(data[i])).collect(Collectors.joining(" ")));
        }
    }

    /** The indices ImageSet.subset picks: a copy of the set whose pixels are the image indices. */
    private static int[] pickedIndices(ImageSet set, int n, long seed) {
        byte[] pixels = new byte[set.size() * 3];
        for (int i = 0; i < set.size(); i++) {
            pixels[3 * i] = (byte) (i >> 16);
            pixels[3 * i + 1] = (byte) (i >> 8);
            pixels[3 * i + 2] = (byte) i;
        }
        ImageSet indexed = ImageSet.of("indexed", new ImageShape(1, 1, 3), pixels, set.labels(), set.numClasses());
        ImageSet picked = indexed.subset(n, seed);
        return IntStream.range(0, picked.size())
                .map(k -> picked.pixel(k, 0, 0, 0) << 16 | picked.pixel(k, 0, 0, 1) << 8 | picked.pixel(k, 0, 0, 2))
                .toArray();
    }

    private static String join(int[] values) {
        return Arrays.stream(values).mapToObj(Integer::toString).collect(Collectors.joining(" "));
    }
}
