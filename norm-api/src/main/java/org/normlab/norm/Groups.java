package org.normlab.norm;

import java.util.List;

/**
 * The {@code groups} and {@code strict} options of group-wise norms (gn, evonorm_s0), and how a
 * layer's channel count picks its number of groups: {@code groups} where it divides the
 * channels; otherwise, unless {@code strict}, the largest divisor of the channels not above
 * {@code groups} (16 channels with groups 32: 16 groups; 24 with 16: 12). With {@code strict}
 * a layer whose channels the groups do not divide is an error naming its channels.
 */
public final class Groups {

    public static final NormOption GROUPS = NormOption.integer(
            "groups", 32, 1, 1 << 16,
            "channel groups; where they do not divide a layer's channels, its largest divisor below them (see strict)");
    public static final NormOption STRICT = NormOption.bool(
            "strict", false, "true: groups that do not divide a layer's channels are an error, not rounded down");

    /** groups, strict. */
    public static final List<NormOption> OPTIONS = List.of(GROUPS, STRICT);

    private Groups() {}

    /**
     * The number of groups for a layer of {@code spec.channels()} channels.
     *
     * @throws NormConfigException with {@code strict} when the groups do not divide the channels
     */
    public static int resolve(String norm, NormSpec spec) {
        int channels = spec.channels();
        int groups = spec.options().getInt(GROUPS.name());
        if (channels % groups == 0) {
            return groups;
        }
        if (spec.options().getBoolean(STRICT.name())) {
            throw new NormConfigException(GROUPS.name(), String.format(
                    "norm '%s': groups %d do not divide the %d channels of layer %d; choose groups that divide "
                            + "every layer's channels (divisors of %d: %s) or set strict: false to use the largest divisor",
                    norm, groups, channels, spec.layerIndex(), channels, divisors(channels)));
        }
        return largestDivisor(channels, groups);
    }

    /** The largest divisor of {@code channels} that is at most {@code limit}. */
    static int largestDivisor(int channels, int limit) {
        for (int g = Math.min(limit, channels); g > 1; g--) {
            if (channels % g == 0) {
                return g;
            }
        }
        return 1;
    }

    private static String divisors(int n) {
        StringBuilder sb = new StringBuilder();
        for (int d = 1; d <= n && sb.length() < 80; d++) {
            if (n % d == 0) {
                sb.append(sb.length() == 0 ? "" : ", ").append(d);
            }
        }
        return sb.toString();
    }
}
