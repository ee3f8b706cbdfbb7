package org.taskbert.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** For tests: runs the command line in this JVM (what {@code taskbert ARGS} runs) and keeps its output. */
public final class CliRun {

    private CliRun() {}

    public record Result(int code, String out, String err) {}

    public static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(code, out.toString(), err.toString());
    }
}
