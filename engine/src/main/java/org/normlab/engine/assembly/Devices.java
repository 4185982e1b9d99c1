package org.normlab.engine.assembly;

import ai.djl.Device;
import ai.djl.engine.Engine;
import org.normlab.results.UserError;

/** {@code auto | cpu | gpu | gpu:N} to a DJL device. */
public final class Devices {

    private Devices() {}

    public static Device resolve(String name) {
        int gpus = Engine.getInstance().getGpuCount();
        if (name.equals("auto")) {
            return gpus > 0 ? Device.gpu() : Device.cpu();
        }
        if (name.equals("cpu")) {
            return Device.cpu();
        }
        int index = name.equals("gpu") ? 0 : Integer.parseInt(name.substring(4));
        if (index >= gpus) {
            throw new UserError(String.format(
                    "device '%s' asked for, but DJL sees %d GPU(s); build with -Pcuda on a CUDA machine or use device: cpu",
                    name, gpus));
        }
        return Device.gpu(index);
    }
}
