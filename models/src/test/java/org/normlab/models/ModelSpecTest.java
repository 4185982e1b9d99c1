package org.normlab.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.nn.Block;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Names resolve to the intended layouts, and bad specs fail saying what is allowed. */
class ModelSpecTest {

    private static String error(Executable bad) {
        return assertThrows(IllegalArgumentException.class, bad).getMessage();
    }

    private static void assertMentions(String message, String... parts) {
        for (String part : parts) {
            assertTrue(message.contains(part), () -> "'" + part + "' missing from: " + message);
        }
    }

    @Test
    void shorthandsPickTheUsualLayouts() {
        assertEquals(new ModelSpec("cifar_resnet", 20, 10, 3, Shortcut.A, "basic", false), Models.parse("resnet20", 10, 3));
        assertEquals(new ModelSpec("cifar_resnet", 110, 10, 1, Shortcut.A, "basic", false), Models.parse("ResNet-110", 10, 1));
        assertEquals(
                new ModelSpec("cifar_resnet", 164, 100, 3, Shortcut.B, "bottleneck", false),
                Models.parse("resnet164", 100, 3));
        assertEquals(
                new ModelSpec("cifar_resnet", 1001, 100, 3, Shortcut.B, "bottleneck", false),
                Models.parse("resnet1001", 100, 3));
        // ResNet-1202 of He et al. is basic: not 9n+2, so auto keeps basic units.
        assertEquals(new ModelSpec("cifar_resnet", 1202, 10, 3, Shortcut.A, "basic", false), Models.parse("resnet1202", 10, 3));
        assertEquals(new ModelSpec("resnet", 18, 10, 3, Shortcut.B, "basic", false), Models.parse("resnet18", 10, 3));
        assertEquals(new ModelSpec("resnet", 50, 10, 3, Shortcut.B, "bottleneck", false), Models.parse("resnet50", 10, 3));
        // 50 is also 6n+2: the cifar_ prefix asks for the CIFAR layout.
        assertEquals(new ModelSpec("cifar_resnet", 50, 10, 3, Shortcut.A, "basic", false), Models.parse("cifar_resnet50", 10, 3));
    }

    @Test
    void specsResolveAutoAndDefaults() {
        ModelSpec spec = new ModelSpec("CIFAR_ResNet", 164, 100, 3, null, null, false);
        assertEquals("cifar_resnet", spec.family());
        assertEquals("bottleneck", spec.block());
        assertEquals(Shortcut.B, spec.shortcut());
        assertEquals("cifar_resnet164(bottleneck, B)", spec.name());
        // 164 is 6n+2 as well, so basic units may be asked for explicitly; they default to A.
        assertEquals(Shortcut.A, new ModelSpec("cifar_resnet", 164, 100, 3, null, "basic", false).shortcut());
        assertEquals("resnet18(cifar stem)", new ModelSpec("resnet", 18, 10, 3, null, "auto", true).name());
    }

    @Test
    void familiesAndDepthsAreListed() {
        assertEquals(List.of("cifar_resnet", "resnet"), Models.families());
        assertMentions(Models.allowedDepths("resnet"), "18, 34, 50, 101, 152");
        assertMentions(Models.allowedDepths("cifar_resnet"), "6n+2", "9n+2", "164");
    }

    @Test
    void badDepthsNameTheDepthAndTheAllowedOnes() {
        assertMentions(error(() -> Models.parse("resnet21", 10, 3)), "depth 21", "6n+2", "9n+2");
        assertMentions(error(() -> new ModelSpec("cifar_resnet", 32, 10, 3, null, "bottleneck", false)),
                "depth 32", "bottleneck", "9n+2");
        assertMentions(error(() -> new ModelSpec("cifar_resnet", 29, 10, 3, null, "basic", false)), "depth 29", "6n+2");
        // 29 = 9n+2 but below 164: auto picks basic, which does not fit; say what would.
        assertMentions(error(() -> Models.parse("resnet29", 10, 3)), "depth 29", "fits block bottleneck");
        assertMentions(error(() -> new ModelSpec("resnet", 20, 10, 3, null, null, false)),
                "depth 20", "18, 34, 50, 101, 152");
        assertMentions(error(() -> new ModelSpec("cifar_resnet", 2, 10, 3, null, null, false)), "depth 2");
    }

    @Test
    void otherBadSpecsSayWhatIsAllowed() {
        assertMentions(error(() -> new ModelSpec("resnt", 18, 10, 3, null, null, false)),
                "'resnt'", "did you mean 'resnet'", "cifar_resnet, resnet");
        assertMentions(error(() -> Models.allowedDepths("vgg")), "'vgg'", "cifar_resnet, resnet");
        assertMentions(error(() -> new ModelSpec("cifar_resnet", 20, 10, 3, null, "wide", false)),
                "'wide'", "auto, basic, bottleneck");
        assertMentions(error(() -> new ModelSpec("resnet", 50, 10, 3, null, "basic", false)), "bottleneck", "auto");
        assertMentions(error(() -> new ModelSpec("cifar_resnet", 164, 100, 3, Shortcut.A, null, false)),
                "shortcut B", "basic units only");
        assertMentions(error(() -> new ModelSpec("cifar_resnet", 20, 10, 3, null, null, true)), "cifarStem");
        assertMentions(error(() -> new ModelSpec("resnet", 18, 0, 3, null, null, false)), "classes", "0");
        assertMentions(error(() -> new ModelSpec("resnet", 18, 10, 0, null, null, false)), "inChannels", "0");
        assertMentions(error(() -> Models.parse("vgg16", 10, 3)), "'vgg16'", "resnet<depth>", "cifar_resnet<depth>");
    }

    /** Each refusal names its setting by type, so a sweep's error points at it without reading the message. */
    @Test
    void settingErrorsNameTheirSetting() {
        List<Executable> bad = List.of(
                () -> Models.parse("resnet21", 10, 3),
                () -> new ModelSpec("resnet", 20, 10, 3, null, null, false),
                () -> new ModelSpec("cifar_resnet", 20, 10, 3, null, "wide", false),
                () -> new ModelSpec("resnet", 50, 10, 3, null, "basic", false),
                () -> new ModelSpec("cifar_resnet", 164, 100, 3, Shortcut.A, null, false),
                () -> new ModelSpec("cifar_resnet", 20, 10, 3, null, null, true),
                () -> new ModelSpec("resnt", 18, 10, 3, null, null, false));
        List<String> keys = bad.stream().map(b -> assertThrows(ModelSettingException.class, b).key()).toList();
        assertEquals(List.of("model.depth", "model.depth", "model.block", "model.block", "model.shortcut", "model.cifar_stem",
                "model.name"), keys);
        // not a setting of the model: the data's shape
        IllegalArgumentException classes = assertThrows(IllegalArgumentException.class,
                () -> new ModelSpec("resnet", 18, 0, 3, null, null, false));
        assertTrue(!(classes instanceof ModelSettingException), classes.toString());
    }

    @Test
    void countingAnUninitializedNetworkIsRefused() {
        Block net = Models.build(Models.parse("resnet8", 10, 3), TestNorms.bn(), TestNorms.bn());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Models.trainableParameters(net));
        assertMentions(e.getMessage(), "not initialized");
    }
}
