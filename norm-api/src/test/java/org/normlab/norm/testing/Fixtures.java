package org.normlab.norm.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.normlab.norm.conformance.ReferenceFixture;

/** The PyTorch reference fixtures shipped in norm-api's test resources (bn, iebn). */
public final class Fixtures {

    private Fixtures() {}

    public static ReferenceFixture load(String kind) {
        String resource = "/fixtures/" + kind + ".json";
        try (InputStream in = Fixtures.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + resource);
            }
            return ReferenceFixture.load(resource, in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
