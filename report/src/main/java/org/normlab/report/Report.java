package org.normlab.report;

import org.normlab.results.TrialStatus;
import org.normlab.results.Conflict;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * What a report says about a sweep, before any formatting: the groups of trials with their
 * statistics, and each norm against bn in the same other settings.
 */
public final class Report {

    /** The confidence level of the norm comparisons. */
    public static final double LEVEL = 0.95;

    /** Keys that say which norm a row used; rows differing only in these are compared. */
    public static final List<String> NORM_KEYS = List.of(NormVariant.NAME_KEY, NormVariant.INNER_KEY);

    private final SweepData data;
    private final List<Metric> metrics;
    private final List<GroupRow> rows;
    private final List<NormComparison> comparisons;
    private final List<String> normKeys;
    private final DoseTable dose;

    private Report(SweepData data, List<Metric> metrics, List<GroupRow> rows, List<NormComparison> comparisons,
            DoseTable dose) {
        this.data = data;
        this.normKeys = data.normKeys();
        this.metrics = metrics;
        this.rows = rows;
        this.comparisons = comparisons;
        this.dose = dose;
    }

    public static Report of(SweepData data) {
        List<Metric> metrics = metrics(data.results());
        List<String> normKeys = data.normKeys();
        List<GroupRow> rows = rows(data, metrics, normKeys);
        boolean normSwept = data.sweptKeys().stream().anyMatch(normKeys::contains);
        List<NormComparison> comparisons = normSwept ? comparisons(rows, normKeys) : List.of();
        DoseTable dose = DoseTable.of(data, normKeys, rows.stream().map(r -> r.norm().label()).distinct().toList());
        return new Report(data, metrics, rows, comparisons, dose);
    }

    /** The standard metrics, the eval.stats ones and one per dataset component that any result has. */
    private static List<Metric> metrics(List<TrialOutcome> results) {
        List<Metric> metrics = new ArrayList<>(Metric.STANDARD);
        Metric.EVAL_STATS.stream()
                .filter(m -> results.stream().anyMatch(r -> r.metrics().containsKey(m.name())))
                .forEach(metrics::add);
        Set<String> components = new TreeSet<>();
        for (TrialOutcome r : results) {
            r.metrics().keySet().stream().filter(k -> k.startsWith(Metric.COMPONENT_PREFIX)).forEach(components::add);
        }
        components.forEach(c -> metrics.add(Metric.byName(c)));
        return List.copyOf(metrics);
    }

    private static List<GroupRow> rows(SweepData data, List<Metric> metrics, List<String> normKeys) {
        Map<Settings, List<PlannedTrial>> planned = new LinkedHashMap<>();
        data.planned().forEach(t -> planned.computeIfAbsent(settings(t.swept()), k -> new ArrayList<>()).add(t));
        Map<Settings, List<TrialOutcome>> results = new LinkedHashMap<>();
        planned.keySet().forEach(s -> results.put(s, new ArrayList<>()));
        data.results().forEach(r -> results.computeIfAbsent(r.swept(), k -> new ArrayList<>()).add(r));
        Set<String> missing = data.missing().stream().map(PlannedTrial::trialId).collect(Collectors.toSet());
        Set<String> conflicting = data.conflicts().stream().map(Conflict::trialId).collect(Collectors.toSet());

        List<GroupRow> rows = new ArrayList<>();
        for (Map.Entry<Settings, List<TrialOutcome>> e : results.entrySet()) {
            List<PlannedTrial> plan = planned.getOrDefault(e.getKey(), List.of());
            List<TrialOutcome> trials = e.getValue();
            List<TrialOutcome> completed = trials.stream().filter(t -> t.status() == TrialStatus.COMPLETED).toList();
            Map<String, Summary> summaries = new LinkedHashMap<>();
            for (Metric m : metrics) {
                List<Double> values = completed.stream()
                        .map(t -> t.metrics().get(m.name()))
                        .filter(Objects::nonNull)
                        .toList();
                summaries.put(m.name(), Summary.of(values));
            }
            rows.add(new GroupRow(
                    e.getKey(),
                    NormVariant.of(e.getKey(), trials.isEmpty() ? null : trials.get(0).config(), normKeys),
                    plan.size(),
                    completed.size(),
                    count(trials, TrialStatus.DIVERGED),
                    count(trials, TrialStatus.FAILED),
                    (int) plan.stream().filter(t -> missing.contains(t.trialId())).count(),
                    (int) plan.stream().filter(t -> conflicting.contains(t.trialId())).count(),
                    summaries,
                    List.copyOf(trials)));
        }
        return List.copyOf(rows);
    }

    private static Settings settings(Settings s) {
        return s == null ? Settings.NONE : s;
    }

    private static int count(List<TrialOutcome> trials, TrialStatus status) {
        return (int) trials.stream().filter(t -> t.status() == status).count();
    }

    /**
     * Within each set of rows that agree on every swept key but the norm keys, every norm
     * against its reference: a wrapper {@code w(x)} against {@code w(bn)} when that row exists
     * (the same attack on BN), anything else against plain {@code bn}.
     */
    private static List<NormComparison> comparisons(List<GroupRow> rows, List<String> normKeys) {
        List<NormComparison> comparisons = new ArrayList<>();
        for (Map.Entry<Settings, List<GroupRow>> e : byContext(rows, normKeys).entrySet()) {
            List<GroupRow> group = e.getValue();
            for (GroupRow row : group) {
                GroupRow ref = reference(row.norm(), group);
                if (ref == row) {
                    continue;
                }
                WelchInterval ci = ref == null
                        ? null
                        : WelchInterval.of(row.summary(Metric.FINAL_VAL_ACC), ref.summary(Metric.FINAL_VAL_ACC), LEVEL);
                comparisons.add(new NormComparison(e.getKey(), row, ref, ci));
            }
        }
        return List.copyOf(comparisons);
    }

    private static GroupRow reference(NormVariant v, List<GroupRow> group) {
        if (v.inner() != null) {
            for (GroupRow r : group) {
                if (v.name().equals(r.norm().name()) && NormVariant.REFERENCE.equals(r.norm().inner())) {
                    return r;
                }
            }
        }
        for (GroupRow r : group) {
            if (r.norm().inner() == null && NormVariant.REFERENCE.equals(r.norm().name())) {
                return r;
            }
        }
        return null;
    }

    /** Rows keyed by their settings without the norm keys, in row order. */
    static Map<Settings, List<GroupRow>> byContext(List<GroupRow> rows, List<String> normKeys) {
        Map<Settings, List<GroupRow>> groups = new LinkedHashMap<>();
        rows.forEach(r -> groups.computeIfAbsent(r.settings().without(normKeys), k -> new ArrayList<>()).add(r));
        return groups;
    }

    /** {@link #byContext(List, List)} with this report's norm keys. */
    Map<Settings, List<GroupRow>> byContext() {
        return byContext(rows, normKeys);
    }

    /** The swept keys that choose the norm (see {@link SweepData#normKeys()}). */
    public List<String> normKeys() {
        return normKeys;
    }

    /** Whether some key that chooses the norm is swept, so that norms can be compared. */
    public boolean normSwept() {
        return data.sweptKeys().stream().anyMatch(normKeys::contains);
    }

    public SweepData data() {
        return data;
    }

    /** The metrics of the table, the dataset components last. */
    public List<Metric> metrics() {
        return metrics;
    }

    public List<GroupRow> rows() {
        return rows;
    }

    /** The results by {@code report.dose_response}; null when the sweep has no such key. */
    public DoseTable dose() {
        return dose;
    }

    /** Empty when the norm is not swept. */
    public List<NormComparison> comparisons() {
        return comparisons;
    }

    /** The row with exactly these settings, or null. */
    public GroupRow row(Settings settings) {
        return rows.stream().filter(r -> r.settings().equals(settings)).findFirst().orElse(null);
    }

    public int planned() {
        return data.planned().size();
    }

    public int completed() {
        return rows.stream().mapToInt(GroupRow::completed).sum();
    }

    public int diverged() {
        return rows.stream().mapToInt(GroupRow::diverged).sum();
    }

    public int failed() {
        return rows.stream().mapToInt(GroupRow::failed).sum();
    }

    public int missing() {
        return data.missing().size();
    }

    public boolean hasConflicts() {
        return !data.conflicts().isEmpty();
    }
}
