package org.normlab.experiments.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.normlab.results.UserError;

/** --shard i/n: notation, and a split that is disjoint, covering, deterministic and balanced. */
class ShardTest {

    @Test
    void parsesZeroBasedNotationAndNamesItsFolder() {
        Shard s = Shard.parse(" 3/4 ");
        assertEquals(new Shard(3, 4), s);
        assertEquals("shard-3-of-4", s.folderName());
        assertEquals("3/4", s.toString());
        assertEquals(new Shard(0, 1), Shard.parse("0/1"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"4/4", "5/4", "0/0", "-1/4", "1", "1-4", "a/b", "1/4/2", "99999999999/2"})
    void badNotationIsAClearError(String text) {
        UserError e = assertThrows(UserError.class, () -> Shard.parse(text));
        assertTrue(e.getMessage().startsWith("--shard ") && e.getMessage().contains("0"), e.getMessage());
    }

    @Test
    void outOfRangeNamesTheAllowedIndices() {
        UserError e = assertThrows(UserError.class, () -> Shard.parse("4/4"));
        assertEquals("--shard 4/4: the shard index must be 0 to 3 (i/n with 0 <= i < n, n >= 1)", e.getMessage());
    }

    @Test
    void longestFirstToTheLeastLoadedPartByHand() {
        // costs 5 4 3 3 2 1: 5->A, 4->B, 3->B (4<5), 3->A (5<7), 2->B (7<8), 1->A (8<9); loads 9 and 9.
        List<Integer> costs = List.of(5, 4, 3, 3, 2, 1);
        List<List<Integer>> parts = Shard.balance(indices(6), i -> costs.get(i), 2);
        assertEquals(List.of(List.of(0, 3, 5), List.of(1, 2, 4)), parts);
    }

    @Test
    void equalCostsAreDealtRoundRobinInListOrder() {
        List<List<Integer>> parts = Shard.balance(indices(10), i -> 7, 3);
        assertEquals(List.of(List.of(0, 3, 6, 9), List.of(1, 4, 7), List.of(2, 5, 8)), parts);
    }

    @Test
    void aCostlyTrialGetsAShardToItself() {
        // One trial as costly as the other four together: it alone in one shard, the rest in the other.
        List<Integer> costs = List.of(1, 1, 4, 1, 1);
        assertEquals(List.of(List.of(2), List.of(0, 1, 3, 4)), Shard.balance(indices(5), i -> costs.get(i), 2));
    }

    @Test
    void moreShardsThanTrialsLeavesSomeEmpty() {
        List<List<Integer>> parts = Shard.balance(indices(2), i -> 1, 4);
        assertEquals(List.of(List.of(0), List.of(1), List.of(), List.of()), parts);
    }

    @Test
    void randomSplitsAreDisjointCoveringOrderedDeterministicAndBalanced() {
        Random random = new Random(42);
        for (int round = 0; round < 300; round++) {
            int size = random.nextInt(40);
            int n = 1 + random.nextInt(7);
            long[] costs = new long[size];
            for (int i = 0; i < size; i++) {
                costs[i] = random.nextInt(4) == 0 ? 1000 + random.nextInt(100_000) : 1 + random.nextInt(50);
            }
            List<Integer> items = indices(size);
            List<List<Integer>> parts = Shard.balance(items, i -> costs[i], n);
            assertEquals(n, parts.size());
            List<Integer> all = new ArrayList<>();
            parts.forEach(all::addAll);
            Collections.sort(all);
            assertEquals(items, all, "every item in exactly one part");
            long max = 0;
            long min = Long.MAX_VALUE;
            long maxCost = 0;
            for (List<Integer> p : parts) {
                List<Integer> sorted = new ArrayList<>(p);
                Collections.sort(sorted);
                assertEquals(sorted, p, "a part keeps the list order");
                long load = p.stream().mapToLong(i -> costs[i]).sum();
                max = Math.max(max, load);
                min = Math.min(min, load);
            }
            for (long c : costs) {
                maxCost = Math.max(maxCost, c);
            }
            assertTrue(max - min <= maxCost, "no part exceeds the lightest by more than one item's cost");
            assertEquals(parts, Shard.balance(items, i -> costs[i], n), "the same list gives the same split");
            for (int i = 0; i < n; i++) {
                assertEquals(parts.get(i), new Shard(i, n).select(items, x -> costs[x]));
            }
        }
    }

    private static List<Integer> indices(int n) {
        return IntStream.range(0, n).boxed().toList();
    }
}
