package org.normlab.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/** The seeded, class-stratified order that {@link ImageSet#subset} and {@link ImageSet#split} draw from. */
final class StratifiedOrder {

    private StratifiedOrder() {}

    /**
     * A seeded permutation of all indices in which every prefix is class-stratified: the images
     * of each class are shuffled and spread evenly over the order (image r of a class with m
     * images is placed at fraction (r + u) / m, u uniform in [0, 1)), so the first k indices hold
     * each class's proportional share of k.
     */
    static int[] of(int[] labels, int numClasses, long seed) {
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
