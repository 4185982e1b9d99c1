package org.normlab.data;

import java.util.List;
import java.util.Map;

/**
 * The official file layout of CIFAR-10 or CIFAR-100: its title and the names of its two versions'
 * archive, extracted folder and members (https://www.cs.toronto.edu/~kriz/cifar.html).
 */
record CifarLayout(String title, Version python, Version binary) {

    /** Both versions, the python one first (it is read when both are there). */
    List<Version> versions() {
        return List.of(python, binary);
    }

    /**
     * One version: pickled (the python version) or fixed-size records (the binary version), the
     * archive, the folder it extracts to, the training members and the test member.
     */
    record Version(boolean pickled, String archive, String folder, List<String> train, String test) {

        /** Whether an archive's members hold this version's data. */
        boolean heldBy(Map<String, ?> members) {
            return members.containsKey(test) || train.stream().anyMatch(members::containsKey);
        }

        /** The members, for error messages: "data_batch_1, ... and test_batch". */
        String describe() {
            return String.join(", ", train) + " and " + test;
        }
    }

    static final CifarLayout TEN =
            new CifarLayout(
                    "CIFAR-10",
                    new Version(
                            true,
                            "cifar-10-python.tar.gz",
                            "cifar-10-batches-py",
                            List.of("data_batch_1", "data_batch_2", "data_batch_3", "data_batch_4",
                                    "data_batch_5"),
                            "test_batch"),
                    new Version(
                            false,
                            "cifar-10-binary.tar.gz",
                            "cifar-10-batches-bin",
                            List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin",
                                    "data_batch_4.bin", "data_batch_5.bin"),
                            "test_batch.bin"));

    static final CifarLayout HUNDRED =
            new CifarLayout(
                    "CIFAR-100",
                    new Version(true, "cifar-100-python.tar.gz", "cifar-100-python", List.of("train"), "test"),
                    new Version(false, "cifar-100-binary.tar.gz", "cifar-100-binary", List.of("train.bin"), "test.bin"));
}
