package org.normlab.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** Trial ids: a switch added later, at its neutral default, renames no trial that ran before it existed. */
class SettingsTreeTest {

    private static ObjectNode settings(String json) throws Exception {
        return (ObjectNode) new ObjectMapper().readTree(json);
    }

    @Test
    void batchNoiseOffKeepsTheIdATrialHadBeforeTheKeyExisted() throws Exception {
        String before = "{\"norm\": {\"name\": \"bn\"}, \"log\": {\"layers\": {\"every_steps\": 50}}}";
        String off = "{\"norm\": {\"name\": \"bn\"}, \"log\": {\"layers\": {\"every_steps\": 50, \"batch_noise\": false}}}";
        String on = "{\"norm\": {\"name\": \"bn\"}, \"log\": {\"layers\": {\"every_steps\": 50, \"batch_noise\": true}}}";
        assertEquals(SettingsTree.trialId(settings(before), 1), SettingsTree.trialId(settings(off), 1));
        assertNotEquals(SettingsTree.trialId(settings(off), 1), SettingsTree.trialId(settings(on), 1));
        assertNotEquals(SettingsTree.trialId(settings(off), 1), SettingsTree.trialId(settings(off), 2));
        ObjectNode resolved = settings(off);
        SettingsTree.trialId(resolved, 1);
        assertEquals(false, resolved.at("/log/layers/batch_noise").booleanValue(), "the settings themselves keep the key");
    }
}
