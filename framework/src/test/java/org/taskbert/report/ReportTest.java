package org.taskbert.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {
    @TempDir
    Path dir;

    @Test
    void writesMarkdownWithImageFilesAndSelfContainedHtml() throws IOException {
        byte[] png = ChartsTest.sampleGroupedBars();
        Report report = new Report()
                .heading(1, "Pooling <comparison>")
                .paragraph(
                        "Whitening helps `mean` pooling & **CLS** a lot; see [BERT](https://arxiv.org/abs/1810.04805)."
                                + "\n\n- first <point>\n- second")
                .table(List.of("pooling", "Spearman"), List.of(List.of("mean", "0.612"), List.of("a|b <c>", "-")))
                .image("spearman.png", "Spearman by pooling", png);
        report.write(dir.resolve("out"));
        Path out = dir.resolve("out");

        String md = Files.readString(out.resolve("report.md"));
        assertTrue(md.contains("# Pooling <comparison>\n"), md);
        assertTrue(md.contains("![Spearman by pooling](spearman.png)"), md);
        assertTrue(md.contains("| pooling | Spearman |\n| --- | ---: |\n| mean | 0.612 |\n| a\\|b <c> | - |"), md);
        assertArrayEquals(png, Files.readAllBytes(out.resolve("spearman.png")));

        String html = Files.readString(out.resolve("report.html"));
        assertTrue(html.contains("data:image/png;base64,"), "embedded image");
        assertFalse(html.contains("src=\"spearman.png\""), "self-contained");
        assertTrue(html.contains("<title>Pooling &lt;comparison&gt;</title>"));
        assertTrue(html.contains("<h1>Pooling &lt;comparison&gt;</h1>"));
        assertTrue(html.contains("<code>mean</code> pooling &amp; <strong>CLS</strong>"), html);
        assertTrue(html.contains("<a rel=\"nofollow\" href=\"https://arxiv.org/abs/1810.04805\">BERT</a>"), html);
        assertTrue(html.contains("<li>first &lt;point&gt;</li>"), html);
        assertTrue(html.contains("<td>a|b &lt;c&gt;</td><td class=\"num\">-</td>"), html);
        assertFalse(html.contains("<c>") || html.contains("<point>"));
        try (Stream<Path> files = Files.list(out)) {
            assertEquals(
                    List.of("report.html", "report.md", "spearman.png"),
                    files.map(p -> p.getFileName().toString()).sorted().toList(),
                    "no temporary files left");
        }
    }

    @Test
    void rejectsBadInput() {
        Report report = new Report();
        byte[] png = ChartsTest.sampleGroupedBars();
        assertThrows(IllegalArgumentException.class, () -> report.image("../evil.png", "x", png));
        assertThrows(IllegalArgumentException.class, () -> report.image("a.png", "x", new byte[] {1, 2, 3}));
        report.image("a.png", "x", png);
        assertThrows(IllegalArgumentException.class, () -> report.image("a.png", "y", png));
        assertThrows(IllegalArgumentException.class, () -> report.table(List.of("a", "b"), List.of(List.of("1"))));
        assertThrows(IllegalArgumentException.class, () -> report.heading(7, "x"));
    }

    @Test
    void javascriptLinksAreNotLinked() {
        String js = Report.inline("[click](javascript:alert(1))");
        assertFalse(js.contains("javascript"), js);
        assertTrue(js.contains("click"), js);
        assertEquals("<a rel=\"nofollow\" href=\"https://x.org/a\">x</a>", Report.inline("[x](https://x.org/a)"));
        assertEquals("2 * 3 * 4", Report.inline("2 * 3 * 4"));
        assertEquals("<em>x</em> and &lt;b&gt;", Report.inline("*x* and <b>"));
    }
}
