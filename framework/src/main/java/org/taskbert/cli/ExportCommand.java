package org.taskbert.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.taskbert.export.SentenceTransformersExport;
import org.taskbert.model.LoadedModel;
import org.taskbert.model.Models;
import org.taskbert.model.RunFolder;
import org.taskbert.spi.Pooling;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code taskbert export RUN_DIR --out DIR}: a Hugging Face and sentence-transformers folder. */
@Command(
        name = "export",
        mixinStandardHelpOptions = true,
        description = {
            "Export a run (its best checkpoint, else its latest) or any model as a Hugging Face BertModel",
            "folder with sentence-transformers modules for the run's pooling."
        })
final class ExportCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RUN_DIR", description = "a run folder, or any model name")
    String source;

    @Option(names = "--out", required = true)
    Path out;

    @Option(
            names = {"-p", "--pooling"},
            description = "the vector to export (default: the run's trained pooling)")
    String pooling;

    @Option(names = "--max-length", defaultValue = "512")
    int maxLength;

    @Option(
            names = "--force",
            description = "write into a folder that holds other files: export's own files there are replaced (a"
                    + " stale 2_Dense/ too), every other file is kept")
    boolean force;

    static final OutputFolder.Layout LAYOUT = new OutputFolder.Layout(
            "export", SentenceTransformersExport.FILES, null, SentenceTransformersExport::isExport);

    @Override
    public Integer call() throws Exception {
        Path dir = Path.of(source);
        boolean run = RunFolder.isRun(dir);
        if (pooling == null && !run) {
            throw new IllegalArgumentException("--pooling is required when exporting a model that is not a run");
        }
        Pooling p = Pooling.parse(pooling != null ? pooling : RunFolder.pooling(dir));
        SentenceTransformersExport.checkPooling(p);
        OutputFolder folder = OutputFolder.claim(out, LAYOUT, force, Files.exists(dir) ? List.of(dir) : List.of());
        LoadedModel model = Models.load(source);
        folder.clear(Set.of());
        SentenceTransformersExport.write(model, p, maxLength, out);
        folder.seal();
        spec.commandLine()
                .getOut()
                .printf("exported %s (%s pooling) to %s%n", model.weights().source(), p, out);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
