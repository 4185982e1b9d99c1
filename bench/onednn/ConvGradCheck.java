import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * The smallest program that shows the engine bug of docs/DETERMINISM.md, DJL only (no NormLab
 * code): one float32 Conv2d, forward and backward of sum(y^2), repeated; every run compared with
 * the first run and with a float64 computation in plain Java loops.
 *
 * <pre>
 * bench/onednn/check.sh                        # the default shapes, 5 runs each
 * bench/onednn/check.sh 5 4,4,5,24,3,0,1       # runs, then shapes: n,in,out,size,kernel,padding,stride
 * DNNL_MAX_CPU_ISA=AVX2 bench/onednn/check.sh  # the AVX2 kernels on an AVX-512 machine
 * </pre>
 * -Ddirty=true leaves NaN in freed memory before each run (the padding the kernels read then
 * holds NaN instead of whatever was there); -Dai.djl.pytorch.num_threads=1 runs one thread.
 */
public class ConvGradCheck {

    static final String[] DEFAULT = {
        "4,3,4,24,3,1,1", "4,4,5,24,3,0,1", "2,1,4,8,3,1,1", "4,24,16,24,3,1,1", "4,16,24,24,3,1,1", // channels not multiples of 16
        "16,1,16,16,3,1,1", "16,3,16,32,3,1,1", "16,16,16,16,3,1,1", "16,16,32,16,3,1,2", "16,16,32,16,1,0,2", // ResNet's
        "128,32,64,8,3,1,2", "128,64,64,4,3,1,1"};

    public static void main(String[] args) {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        String[] shapes = args.length > 1 ? Arrays.copyOfRange(args, 1, args.length) : DEFAULT;
        boolean dirty = Boolean.getBoolean("dirty");
        Engine.getInstance();
        System.out.printf("DJL %s, PyTorch %s, threads %s, DNNL_MAX_CPU_ISA=%s, dirty memory %s, %d runs per shape%n",
                Engine.getDjlVersion(), Engine.getInstance().getVersion(),
                System.getProperty("ai.djl.pytorch.num_threads", "default"), System.getenv("DNNL_MAX_CPU_ISA"), dirty, runs);
        System.out.println("n,in,out,size,kernel,padding,stride  runs_differing  runs_with_NaN  forward_err  input_grad_err  weight_grad_err");
        int wrong = 0;
        try (NDManager manager = NDManager.newBaseManager()) {
            for (String shape : shapes) {
                wrong += check(manager, Arrays.stream(shape.split(",")).mapToInt(Integer::parseInt).toArray(), runs, dirty) ? 0 : 1;
            }
        }
        System.out.printf("%d of %d shapes wrong (errors: largest |float32 - float64| over the largest |float64|)%n", wrong,
                shapes.length);
        System.exit(wrong == 0 ? 0 : 1);
    }

    /** @return whether every run agreed with the first and with float64 */
    static boolean check(NDManager manager, int[] s, int runs, boolean dirty) {
        int n = s[0], in = s[1], out = s[2], size = s[3], k = s[4], pad = s[5], stride = s[6];
        Random random = new Random(5);
        float[] x = new float[n * in * size * size];
        float[] w = new float[out * in * k * k];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (0.5 * random.nextGaussian());
        }
        double[][] ref = Reference.of(x, w, n, in, out, size, k, pad, stride); // y, dx, dw
        List<float[][]> results = new ArrayList<>();
        int differing = 0;
        int nan = 0;
        double[] worst = new double[3];
        for (int run = 0; run < runs; run++) {
            if (dirty) {
                for (long len = 1024; len <= 4 << 20; len *= 2) {
                    manager.full(new Shape(len), Float.NaN).close();
                }
            }
            try (NDManager scope = manager.newSubManager()) {
                NDArray xs = scope.create(x, new Shape(n, in, size, size));
                NDArray ws = scope.create(w, new Shape(out, in, k, k));
                xs.setRequiresGradient(true);
                ws.setRequiresGradient(true);
                float[] y;
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    NDArray ys = Conv2d.conv2d(xs, ws, null, new Shape(stride, stride), new Shape(pad, pad), new Shape(1, 1), 1)
                            .singletonOrThrow();
                    collector.backward(ys.mul(ys).sum());
                    y = ys.toFloatArray();
                }
                float[][] got = {y, xs.getGradient().toFloatArray(), ws.getGradient().toFloatArray()};
                boolean hasNan = false;
                for (int t = 0; t < 3; t++) {
                    worst[t] = Math.max(worst[t], error(got[t], ref[t]));
                    for (float v : got[t]) {
                        hasNan |= Float.isNaN(v);
                    }
                }
                nan += hasNan ? 1 : 0;
                if (!results.isEmpty() && !Arrays.deepEquals(results.get(0), got)) {
                    differing++;
                }
                results.add(got);
            }
        }
        boolean ok = differing == 0 && nan == 0 && worst[0] < 1e-5 && worst[1] < 1e-5 && worst[2] < 1e-5;
        System.out.printf("%-34s  %d of %d  %13d  %11.1e  %14.1e  %15.1e%s%n", String.join(",",
                Arrays.stream(s).mapToObj(String::valueOf).toArray(String[]::new)), differing, runs - 1, nan, worst[0], worst[1],
                worst[2], ok ? "" : "  WRONG");
        return ok;
    }

    /** Largest |got - ref| over the largest |ref|; infinite when got has NaN. */
    static double error(float[] got, double[] ref) {
        double scale = 1e-30;
        for (double v : ref) {
            scale = Math.max(scale, Math.abs(v));
        }
        double worst = 0;
        for (int i = 0; i < ref.length; i++) {
            worst = Float.isNaN(got[i]) ? Double.POSITIVE_INFINITY : Math.max(worst, Math.abs(got[i] - ref[i]) / scale);
        }
        return worst;
    }

    /** y = conv(x, w), dx and dw of sum(y^2), in float64 loops. */
    static final class Reference {
        static double[][] of(float[] x, float[] w, int n, int in, int out, int size, int k, int pad, int stride) {
            int o = (size + 2 * pad - k) / stride + 1;
            double[] y = new double[n * out * o * o];
            double[] dx = new double[x.length];
            double[] dw = new double[w.length];
            for (int pass = 0; pass < 2; pass++) {
                for (int b = 0; b < n; b++) {
                    for (int c = 0; c < out; c++) {
                        for (int i = 0; i < o; i++) {
                            for (int j = 0; j < o; j++) {
                                int yi = ((b * out + c) * o + i) * o + j;
                                double dy = 2 * y[yi];
                                for (int d = 0; d < in; d++) {
                                    for (int u = 0; u < k; u++) {
                                        for (int v = 0; v < k; v++) {
                                            int r = i * stride - pad + u;
                                            int q = j * stride - pad + v;
                                            if (r < 0 || q < 0 || r >= size || q >= size) {
                                                continue;
                                            }
                                            int xi = ((b * in + d) * size + r) * size + q;
                                            int wi = ((c * in + d) * k + u) * k + v;
                                            if (pass == 0) {
                                                y[yi] += x[xi] * (double) w[wi];
                                            } else {
                                                dx[xi] += dy * w[wi];
                                                dw[wi] += dy * x[xi];
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            return new double[][] {y, dx, dw};
        }
    }
}
