package org.normlab.report;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.normlab.results.TrialStatus;

/**
 * The results sorted by {@code report.dose_response} ({@link DoseSpec}): one row per family,
 * strength and combination of the other swept settings (the "context", e.g. the batch size),
 * the baseline's rows (strength 0) first; in each row, per norm label, the final validation
 * accuracy over the completed trials (seeds). The lead figure, the pivot table and the
 * difference-vs-bn table all read this one aggregation.
 */
public final class DoseTable {

    /**
     * @param family the family's name (the baseline's for the strength-0 rows)
     * @param byNorm per norm label, in the report's norm order; a norm without a completed trial has none
     * @param trialsByNorm per norm label, the completed trials with a final validation accuracy that
     *     {@code byNorm} summarizes (for per-trial statistics: slopes, dataset components)
     */
    public record Row(String family, boolean baseline, double strength, Settings context, Map<String, Summary> byNorm,
            Map<String, List<TrialOutcome>> trialsByNorm) {
        public Summary summary(String norm) {
            return byNorm.getOrDefault(norm, Summary.EMPTY);
        }

        public List<TrialOutcome> trials(String norm) {
            return trialsByNorm.getOrDefault(norm, List.of());
        }
    }

    private final DoseSpec spec;
    private final List<String> contextKeys;
    private final List<String> norms;
    private final List<Settings> contexts;
    private final List<Row> rows;
    private final int outside;
    private final List<String> unseen;

    private DoseTable(DoseSpec spec, List<String> contextKeys, List<String> norms, List<Settings> contexts,
            List<Row> rows, int outside, List<String> unseen) {
        this.spec = spec;
        this.contextKeys = List.copyOf(contextKeys);
        this.norms = List.copyOf(norms);
        this.contexts = List.copyOf(contexts);
        this.rows = List.copyOf(rows);
        this.outside = outside;
        this.unseen = List.copyOf(unseen);
    }

    /**
     * @param normKeys the swept keys that choose the norm
     * @param normOrder the norm labels in the report's order (its group rows')
     * @return null when the sweep has no {@code report.dose_response}
     */
    static DoseTable of(SweepData data, List<String> normKeys, List<String> normOrder) {
        DoseSpec spec = data.definition().dose();
        if (spec == null) {
            return null;
        }
        Set<String> consumed = new LinkedHashSet<>(data.definition().namedAxesSetting(spec.keys()));
        data.sweptKeys().stream().filter(k -> spec.keys().stream().anyMatch(x -> related(k, x))).forEach(consumed::add);
        List<String> contextKeys = data.sweptKeys().stream()
                .filter(k -> !normKeys.contains(k) && !consumed.contains(k)).toList();
        DoseSpec.Checks checks = data.definition().checks();

        record Key(String family, boolean baseline, double strength, Settings context) {}
        Map<Key, Map<String, List<Double>>> cells = new LinkedHashMap<>();
        Map<Key, Map<String, List<TrialOutcome>>> trials = new LinkedHashMap<>();
        List<Settings> contexts = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        int outside = 0;
        for (TrialOutcome r : data.results()) {
            DoseSpec.Dose dose = spec.classify(lookup(r), "trial " + r.trialId() + " (" + r.file() + ")", checks);
            if (dose == null) {
                outside++;
                continue;
            }
            seen.add(dose.family());
            Settings context = r.swept().without(r.swept().values().keySet().stream()
                    .filter(k -> !contextKeys.contains(k)).toList());
            if (!contexts.contains(context)) {
                contexts.add(context);
            }
            String norm = NormVariant.of(r.swept(), r.config(), normKeys).label();
            Key key = new Key(dose.family(), dose.baseline(), dose.strength(), context);
            Map<String, List<Double>> byNorm = cells.computeIfAbsent(key, k -> new LinkedHashMap<>());
            List<Double> values = byNorm.computeIfAbsent(norm, k -> new ArrayList<>());
            Double acc = r.metrics().get(Metric.FINAL_VAL_ACC.name());
            if (r.status() == TrialStatus.COMPLETED && acc != null) {
                values.add(acc);
                trials.computeIfAbsent(key, k -> new LinkedHashMap<>()).computeIfAbsent(norm, k -> new ArrayList<>()).add(r);
            }
        }
        List<String> norms = new ArrayList<>(normOrder.stream()
                .filter(n -> cells.values().stream().anyMatch(c -> c.containsKey(n))).toList());
        cells.values().forEach(c -> c.keySet().stream().filter(n -> !norms.contains(n)).forEach(norms::add));

        List<String> familyOrder = spec.families().stream().map(DoseSpec.Family::name).toList();
        List<Row> rows = new ArrayList<>();
        cells.entrySet().stream()
                .sorted(Comparator.comparingInt((Map.Entry<Key, ?> e) -> familyOrder.indexOf(e.getKey().family()))
                        .thenComparingDouble(e -> e.getKey().strength())
                        .thenComparingInt(e -> contexts.indexOf(e.getKey().context())))
                .forEach(e -> {
                    Map<String, Summary> byNorm = new LinkedHashMap<>();
                    norms.stream().filter(e.getValue()::containsKey)
                            .forEach(n -> byNorm.put(n, Summary.of(e.getValue().get(n))));
                    Key k = e.getKey();
                    Map<String, List<TrialOutcome>> completed = new LinkedHashMap<>();
                    trials.getOrDefault(k, Map.of()).forEach((n, list) -> completed.put(n, List.copyOf(list)));
                    rows.add(new Row(k.family(), k.baseline(), k.strength(), k.context(), byNorm, completed));
                });
        List<String> unseen = new ArrayList<>(familyOrder.stream().filter(f -> !seen.contains(f)).toList());
        return new DoseTable(spec, contextKeys, norms, contexts, rows, outside, unseen);
    }

    /** A trial's setting by dotted key: its resolved config first, else its swept value (a named axis' label). */
    static DoseSpec.Lookup lookup(TrialOutcome r) {
        return dotted -> {
            if (r.config() != null) {
                JsonNode v = r.config().at(JsonPointer.compile("/" + dotted.replace("~", "~0").replace(".", "/")));
                if (!v.isMissingNode()) {
                    return v;
                }
            }
            return r.swept().get(dotted);
        };
    }

    /** {@code a} and {@code b} are the same setting, or one holds the other. */
    static boolean related(String a, String b) {
        return a.equals(b) || a.startsWith(b + ".") || b.startsWith(a + ".");
    }

    public DoseSpec spec() {
        return spec;
    }

    /** The swept keys that are neither the norm nor the dose (e.g. {@code data.batch_size}), in grid order. */
    public List<String> contextKeys() {
        return contextKeys;
    }

    /** The norm labels of the table's columns. */
    public List<String> norms() {
        return norms;
    }

    /** The combinations of the context keys, in the order of the results. */
    public List<Settings> contexts() {
        return contexts;
    }

    /** Baseline rows first, then each family in the order of the spec; strengths ascending, then contexts. */
    public List<Row> rows() {
        return rows;
    }

    /** The baseline's row in {@code context}, or null. */
    public Row baseline(Settings context) {
        return rows.stream().filter(r -> r.baseline() && r.context().equals(context)).findFirst().orElse(null);
    }

    /** The rows of one family in {@code context}, strengths ascending. */
    public List<Row> rows(String family, Settings context) {
        return rows.stream().filter(r -> !r.baseline() && r.family().equals(family) && r.context().equals(context)).toList();
    }

    /** How many results are in no family and not in the baseline (another attack, say): they are not in the figure. */
    public int outside() {
        return outside;
    }

    /** The families that no result matches (yet). */
    public List<String> unseen() {
        return unseen;
    }
}
