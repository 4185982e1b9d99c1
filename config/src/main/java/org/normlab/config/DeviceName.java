package org.normlab.config;

import java.util.regex.Pattern;
import org.normlab.results.UserError;

/** The device a trial asks for, in sweep files, --device and the launchers: auto, cpu, gpu or gpu:N. */
public final class DeviceName {

    public static final String ALLOWED = "auto, cpu, gpu or gpu:N";
    private static final Pattern PATTERN = Pattern.compile("auto|cpu|gpu|gpu:\\d+");

    private DeviceName() {}

    public static boolean isValid(String name) {
        return PATTERN.matcher(name).matches();
    }

    /** Checks a --device option (null: not given). */
    public static void checkOption(String name) {
        if (name != null && !isValid(name)) {
            throw new UserError("--device " + name + ": must be " + ALLOWED);
        }
    }
}
