package org.taskbert.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taskbert.model.format.Safetensors;

/** A run used as a model loads its base_model; chains of runs are followed with cycle detection (issue 15, row 7). */
class RunChainTest {

    @TempDir
    Path tmp;

    private Path run(String name, String baseModel) throws IOException {
        Path run = tmp.resolve(name);
        Files.createDirectories(run.resolve(RunFolder.BEST));
        Files.writeString(
                run.resolve(RunFolder.RUN_JSON), "{\"base_model\": \"" + baseModel + "\", \"pooling\": \"cls\"}");
        Safetensors.write(
                run.resolve(RunFolder.BEST).resolve(RunFolder.WEIGHTS),
                RandomWeights.create(HandMadeModels.config(), 4, true, 0.2).all(),
                Map.of());
        return run;
    }

    @Test
    void aRunOnARunOnAModelLoads() throws IOException {
        Path base = HandMadeModels.write(tmp.resolve("base"), t -> {});
        Path first = run("first", base.toString());
        Path second = run("second", first.toString());
        assertEquals(
                List.of(second.resolve(RunFolder.RUN_JSON), first.resolve(RunFolder.RUN_JSON)),
                RunChain.follow(second));
        LoadedModel m = Models.load(second.toString());
        assertEquals(HandMadeModels.config().shape(), m.config().shape());
    }

    @Test
    void aRunBasedOnItselfIsACycleNamingItsRunJson() throws IOException {
        Path self = run("self", tmp.resolve("self").toString());
        var e = assertThrows(ModelLoadException.class, () -> Models.load(self.toString()));
        assertTrue(e.getMessage().contains("cycle"), e.getMessage());
        assertTrue(e.getMessage().contains(self.resolve(RunFolder.RUN_JSON).toString()), e.getMessage());
    }

    @Test
    void twoRunsBasedOnEachOtherAreACycleNamingBothFiles() throws IOException {
        Path a = tmp.resolve("a");
        Path b = run("b", a.toString());
        run("a", b.toString());
        var e = assertThrows(ModelLoadException.class, () -> Models.load(a.toString()));
        assertTrue(
                e.getMessage().contains(a.resolve(RunFolder.RUN_JSON) + " -> " + b.resolve(RunFolder.RUN_JSON)),
                e.getMessage());
        // The same folder through another spelling of its path is the same run.
        Path c = run("c", tmp.resolve("c").resolve("..").resolve("c").toString());
        assertThrows(ModelLoadException.class, () -> Models.load(c.toString()));
    }

    @Test
    void aChainDeeperThanTheBoundIsRefused() throws IOException {
        Path base = HandMadeModels.write(tmp.resolve("base"), t -> {});
        Path below = base;
        for (int i = 0; i <= RunChain.MAX_DEPTH; i++) {
            below = run("r" + i, below.toString());
        }
        Path top = below;
        var e = assertThrows(ModelLoadException.class, () -> Models.load(top.toString()));
        assertTrue(e.getMessage().contains("deeper than " + RunChain.MAX_DEPTH), e.getMessage());
    }

    @Test
    void aRunJsonWithoutABaseModelSaysSo() throws IOException {
        Path run = tmp.resolve("nobase");
        Files.createDirectories(run);
        Files.writeString(run.resolve(RunFolder.RUN_JSON), "{\"pooling\": \"cls\"}");
        var e = assertThrows(ModelLoadException.class, () -> Models.load(run.toString()));
        assertTrue(e.getMessage().contains(run.resolve(RunFolder.RUN_JSON) + " names no base_model"), e.getMessage());
    }
}
