package org.taskbert.tasks.siamese;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.taskbert.cli.CliRun.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taskbert.SharedData;
import org.taskbert.cli.CliRun.Result;
import org.taskbert.corpus.SyntheticCorpus;

/** {@code taskbert train} with bad configs, and the CI smoke config. */
class TrainConfigErrorsTest {

    @TempDir
    Path tmp;

    private Path config(String task, String extra) throws IOException {
        Path corpus = SyntheticCorpus.write(tmp.resolve("c.jsonl.gz"), 10, 4, 1);
        Path model = org.taskbert.model.TinyModels.writeHuggingFace(tmp.resolve("tiny"), 1, true);
        return Files.writeString(
                tmp.resolve("c.yaml"),
                "model: " + model + "\ntask: {type: " + task + ", corpus: "
                        + corpus + "}\ntraining: {steps: 2, batch_size: 2, eval_every: 2}\noutput: "
                        + tmp.resolve("run") + "\n"
                        + extra);
    }

    @Test
    void anUnknownTaskListsTheInstalledOnes() throws IOException {
        Result r = run("train", config("no-such-task", "").toString());
        assertNotEquals(0, r.code());
        assertTrue(
                r.err().contains("field 'task': unknown type 'no-such-task' (known: [")
                        && r.err().contains("siamese-nsp")
                        && !r.err().contains("POJO"),
                r.err());
    }

    @Test
    void unknownFieldsWrongTypesAndBadPathsNameTheField() throws IOException {
        Path c = config("siamese-nsp", "");
        Result r = run("train", c.toString(), "--set", "training.stepz=3");
        assertTrue(r.code() != 0 && r.err().contains("training.stepz"), r.err());
        r = run("train", c.toString(), "--set", "training.steps=many");
        assertTrue(r.code() != 0 && r.err().contains("training.steps"), r.err());
        r = run("train", c.toString(), "--set", "task.corpus=/nonexistent/corpus.jsonl.gz");
        assertTrue(r.code() != 0 && r.err().contains("task.corpus") && r.err().contains("/nonexistent"), r.err());
        r = run("train", c.toString(), "--set", "task.pooling=max");
        assertTrue(r.code() != 0 && r.err().contains("task.pooling"), r.err());
        r = run("train", c.toString(), "--set", "training.adam_epsilon=0");
        assertTrue(r.code() != 0 && r.err().contains("field 'training.adam_epsilon' must be positive"), r.err());
    }

    /** The locale selects the sentence splitter: "jp" (the country) would have split by ICU's root rules. */
    @Test
    void aLocaleThatIsNoLanguageIsNamed() throws IOException {
        Result r = run("train", config("siamese-nsp", "").toString(), "--set", "task.locale=jp");
        assertTrue(
                r.code() != 0
                        && r.err().contains("field 'task.locale'")
                        && r.err().contains("Japanese is ja"),
                r.err());
        assertFalse(Files.exists(tmp.resolve("run")));
    }

    /** Japanese text on a vocabulary without kana or kanji: the run ends with one line that says so. */
    @Test
    void aJapaneseCorpusOnAnEnglishVocabularyIsReportedOnceAtTheEnd() throws IOException {
        StringBuilder jsonl = new StringBuilder();
        for (int d = 0; d < 6; d++) {
            jsonl.append("{\"id\": \"ja")
                    .append(d)
                    .append("\", \"text\": \"今日は晴れです。明日は雨でしょう。")
                    .append("彼は「行こう。」と言った。猫が寝ている。\"}\n");
        }
        Path corpus = tmp.resolve("ja.jsonl.gz");
        try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(corpus))) {
            out.write(jsonl.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        Result r = run(
                "train",
                config("siamese-nsp", "").toString(),
                "--set",
                "task.corpus=" + corpus,
                "--set",
                "task.locale=ja");
        assertEquals(0, r.code(), r.err());
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                        "(\\d+) of (\\d+) texts were more than half \\[UNK\\]: is the model right for this language\\?")
                .matcher(r.err());
        assertTrue(m.find(), r.err());
        assertEquals(m.group(1), m.group(2), "every training text is Japanese");
        assertFalse(m.find(), "once");
    }

    @Test
    void anUnwritableOutputFailsBeforeTrainingStarts() throws IOException {
        Path c = config("siamese-nsp", "");
        Path blocker = Files.writeString(tmp.resolve("a-file"), "x");
        Result r = run("train", c.toString(), "--set", "output=" + blocker.resolve("run"));
        assertNotEquals(0, r.code());
        assertTrue(r.err().contains(blocker.toString()), r.err());
        assertFalse(Files.exists(tmp.resolve("run")));
    }

    @Test
    void aLossThatStopsBeingANumberStopsTheRunAndKeepsTheLastGoodCheckpoint() throws IOException {
        Path c = config("siamese-nsp", "");
        Result r = run(
                "train",
                c.toString(),
                "--set",
                "training.lr=1.0e30",
                "--set",
                "training.steps=8",
                "--set",
                "training.checkpoint_every=1",
                "--set",
                "training.clip_norm=0");
        assertNotEquals(0, r.code());
        assertTrue(r.err().contains("the loss became") && r.err().contains("last good checkpoint is"), r.err());
        Path latest = tmp.resolve("run/checkpoints/latest");
        assertTrue(Files.exists(latest), "a checkpoint before the failure is kept");
        assertTrue(r.err().contains(Files.readString(latest).trim()), r.err());
    }

    @Test
    void theSmokeConfigTrainsEvaluatesAndCheckpoints() {
        Path repo = Path.of("").toAbsolutePath().getParent().getParent(); // tasks/siamese-nsp -> repo root
        Result r = run(
                "train",
                repo.resolve("configs/smoke-siamese-nsp.yaml").toString(),
                "--set",
                "task.corpus=" + SharedData.path("data/corpus/bbc_news.jsonl.gz"),
                "--set",
                "task.eval_sts=[" + SharedData.path("data/sts/sick/trial.jsonl") + "]",
                "--set",
                "output=" + tmp.resolve("smoke"));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("finished at step 6") && r.out().contains("sick/trial.spearman"), r.out());
        assertTrue(Files.isDirectory(tmp.resolve("smoke/best")));
    }
}
