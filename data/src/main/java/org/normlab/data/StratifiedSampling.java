package org.normlab.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded, class-stratified sampling of an {@link ImageSet}: one order of all images whose every
 * prefix keeps each class's share, and the subsets and validation splits taken from it.
 */
final class StratifiedSampling {

    private StratifiedSampling() {}

    /**
     * A seeded random subset of {@code n} images, stratified by class: each class keeps its share
     * of the set (to within one image). The images keep their original order.
     */
    static ImageSet subset(ImageSet set, int n, long seed) {
        if (n < 0 || n > set.size()) {
            throw new DatasetException(
                    String.format("%s: cannot take %d of %d images", set.name(), n, set.size()));
        }
        int[] picked = Arrays.copyOf(set.stratifiedOrder(seed), n);
        Arrays.sort(picked);
        return set.select(picked);
    }

    /**
     * Holds out a seeded, class-stratified validation set of {@code valSize} images; the rest is
     * the training set. Disjoint, and together they are the set.
     */
    static DataSplit split(ImageSet set, int valSize, long seed) {
        if (valSize < 1 || valSize >= set.size()) {
            throw new DatasetException(
                    String.format(
                            "%s: a validation set must hold between 1 and %d images, got %d",
                            set.name(), set.size() - 1, valSize));
        }
        int[] order = set.stratifiedOrder(seed);
        int[] val = Arrays.copyOfRange(order, 0, valSize);
        int[] train = Arrays.copyOfRange(order, valSize, order.length);
        Arrays.sort(val);
        Arrays.sort(train);
        return new DataSplit(
                set.select(train).named(set.name() + "/train"), set.select(val).named(set.name() + "/val"));
    }

    /**
     * A seeded permutation of all indices in which every prefix is class-stratified: the images
     * of each class are shuffled and spread evenly over the order (image r of a class with m
     * images is placed at fraction (r + u) / m, u uniform in [0, 1)), so the first k indices hold
     * each class's proportional share of k.
     */
    static int[] order(int[] labels, int numClasses, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c < numClasses; c++) {
            byClass.add(new ArrayList<>());
        }
        for (int i = 0; i < labels.length; i++) {
            byClass.get(labels[i]).add(i);
        }
        int total = labels.length;
        double[] key = new double[total];
        Integer[] order = new Integer[total];
        for (List<Integer> members : byClass) {
            int m = members.size();
            int[] perm = Seeds.permutation(m, random);
            for (int r = 0; r < m; r++) {
                int index = members.get(perm[r]);
                key[index] = (r + random.nextDouble()) / m;
                order[index] = index;
            }
        }
        Arrays.sort(order, (a, b) -> Double.compare(key[a], key[b]));
        int[] result = new int[total];
        for (int i = 0; i < total; i++) {
            result[i] = order[i];
        }
        return result;
    }
}
