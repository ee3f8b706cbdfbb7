package org.taskbert.spark;

import java.io.PrintWriter;
import org.taskbert.cli.Main;
import org.taskbert.runtime.NativeBuild;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code taskbert spark}: the commands that run on Apache Spark (this module; the plain CLI does not need it). */
@Command(
        name = "taskbert spark",
        mixinStandardHelpOptions = true,
        version = "taskbert-spark 0.1.0",
        description = "Embed a corpus by partition, or fine-tune data-parallel, on Apache Spark.",
        subcommands = {
            SparkEmbedCommand.class,
            SparkTrainCommand.class,
            SparkBenchCommand.class,
            CommandLine.HelpCommand.class
        })
public final class SparkMain implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs the command and returns its exit code; an error is one line, as in the plain command line. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        boolean debug = Main.debug(System.getenv());
        try {
            NativeBuild.select();
            CommandLine cli = new CommandLine(new SparkMain()).setOut(out).setErr(err);
            cli.setExecutionExceptionHandler(
                    (e, cmd, parsed) -> Main.report(SparkErrors.cause(e), cmd.getErr(), debug));
            return cli.execute(args);
        } catch (Throwable e) {
            return Main.report(SparkErrors.cause(e), err, debug);
        }
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
