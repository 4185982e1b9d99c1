package org.normlab.norm.testing;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * For tests that a layer keeps alive what autograd still reads: collects garbage and fills the
 * freed native memory with other values, so a buffer freed too early shows as a wrong gradient.
 */
public final class NativeChurn {

    private NativeChurn() {}

    public static void churn() {
        List<ByteBuffer> junk = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            System.gc();
            for (int i = 0; i < 5000; i++) {
                ByteBuffer b = ByteBuffer.allocateDirect(8);
                b.putDouble(0, 1234.5);
                junk.add(b);
            }
        }
    }
}
