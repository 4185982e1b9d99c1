package org.normlab.experiments.sweep;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToLongFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.normlab.results.UserError;

/**
 * Shard {@code index} of {@code count} ({@code --shard i/n}, i from 0 to n-1): the part of a
 * sweep's trials that one machine runs. The parts are disjoint, cover the sweep, and depend only
 * on the trial list and the cost estimates, so every machine computes the same split without
 * talking to the others.
 */
public record Shard(int index, int count) {

    private static final Pattern NOTATION = Pattern.compile("(\\d+)/(\\d+)");

    public Shard {
        if (count < 1) {
            throw new UserError(String.format("--shard %d/%d: the number of shards must be at least 1 (i/n with 0 <= i < n)",
                    index, count));
        }
        if (index < 0 || index >= count) {
            throw new UserError(String.format(
                    "--shard %d/%d: the shard index must be 0 to %d (i/n with 0 <= i < n, n >= 1)", index, count, count - 1));
        }
    }

    /** Parses {@code i/n}. */
    public static Shard parse(String text) {
        Matcher m = NOTATION.matcher(text.trim());
        if (!m.matches()) {
            throw new UserError("--shard " + text + ": expected i/n with 0 <= i < n, e.g. --shard 0/4 for the first of 4 shards");
        }
        try {
            return new Shard(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
        } catch (NumberFormatException e) {
            throw new UserError("--shard " + text + ": the numbers are too large; expected i/n with 0 <= i < n");
        }
    }

    /** The folder this shard writes inside the sweep's folder: {@code shard-i-of-n}. */
    public String folderName() {
        return "shard-" + index + "-of-" + count;
    }

    @Override
    public String toString() {
        return index + "/" + count;
    }

    /** This shard's part of {@code items} (see {@link #balance}), in the items' order. */
    public <T> List<T> select(List<T> items, ToLongFunction<T> cost) {
        return balance(items, cost, count).get(index);
    }

    /**
     * Splits {@code items} into {@code parts} lists of about equal total cost: the costliest item
     * first, each to the part with the least cost so far (the lowest-numbered part on a tie).
     * This is greedy "longest processing time first"; no part ends more than one item's cost
     * above the cheapest part, and with equal costs the sizes differ by at most one. Each part
     * keeps the items' original order.
     */
    public static <T> List<List<T>> balance(List<T> items, ToLongFunction<T> cost, int parts) {
        if (parts < 1) {
            throw new IllegalArgumentException("parts must be at least 1, got " + parts);
        }
        long[] costs = new long[items.size()];
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            costs[i] = cost.applyAsLong(items.get(i));
            if (costs[i] < 0) {
                throw new IllegalArgumentException("negative cost " + costs[i] + " of " + items.get(i));
            }
            order.add(i);
        }
        // Stable: equal costs keep the list order, so the split is a function of the list alone.
        order.sort(Comparator.comparingLong((Integer i) -> costs[i]).reversed());
        long[] load = new long[parts];
        int[] partOf = new int[items.size()];
        for (int i : order) {
            int least = 0;
            for (int p = 1; p < parts; p++) {
                if (load[p] < load[least]) {
                    least = p;
                }
            }
            partOf[i] = least;
            load[least] += costs[i];
        }
        List<List<T>> result = new ArrayList<>();
        for (int p = 0; p < parts; p++) {
            result.add(new ArrayList<>());
        }
        for (int i = 0; i < items.size(); i++) {
            result.get(partOf[i]).add(items.get(i));
        }
        return result;
    }
}
