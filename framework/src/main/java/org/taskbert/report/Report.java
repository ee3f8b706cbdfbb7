package org.taskbert.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;
import org.taskbert.spi.data.AtomicFile;

/**
 * Builds a report of headings, paragraphs, tables and PNG images, written as {@code report.md} (images saved beside
 * it) and as a self-contained {@code report.html} (images embedded, text escaped).
 */
public final class Report {
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*\\.png");
    /** A number (optionally signed, with thousands separators, exponent or %), NaN, or a dash for "none". */
    private static final Pattern NUMBER =
            Pattern.compile("[-+\u2212]?(\\d[\\d,]*)?\\.?\\d+([eE][-+]?\\d+)?%?|NaN|[-\u2013\u2014]");

    private static final Parser MARKDOWN = Parser.builder().build();
    /** Inline Markdown only: no block starts (a cell holding "-" is a dash, not a list). */
    private static final Parser INLINE =
            Parser.builder().enabledBlockTypes(java.util.Set.of()).build();

    private static final HtmlRenderer HTML =
            HtmlRenderer.builder().escapeHtml(true).sanitizeUrls(true).build();
    private static final String CSS = """
            body { font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: #222;
                   max-width: 960px; margin: 2em auto; padding: 0 1em; line-height: 1.5; }
            h1, h2, h3 { line-height: 1.25; } h1 { border-bottom: 2px solid #ddd; padding-bottom: .2em; }
            code { background: #f3f3f3; padding: .1em .3em; border-radius: 3px; font-size: 90%; }
            table { border-collapse: collapse; margin: 1em 0; font-size: 95%; }
            th, td { border: 1px solid #ddd; padding: .35em .7em; text-align: left; }
            th { background: #f3f5f8; } tr:nth-child(even) td { background: #fafafa; }
            td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
            figure { margin: 1.5em 0; } img { max-width: 100%; border: 1px solid #eee; }
            figcaption { color: #555; font-size: 90%; margin-top: .3em; }
            """;

    private sealed interface Block permits Heading, Paragraph, Table, Image {}

    private record Heading(int level, String text) implements Block {}

    private record Paragraph(String markdown) implements Block {}

    private record Table(List<String> header, List<List<String>> rows, boolean[] numeric) implements Block {}

    private record Image(String fileName, String caption, byte[] png) implements Block {}

    private final List<Block> blocks = new ArrayList<>();
    private final Set<String> fileNames = new HashSet<>();

    /** A heading of level 1 to 6. */
    public Report heading(int level, String text) {
        if (level < 1 || level > 6) {
            throw new IllegalArgumentException("heading level must be 1..6, got " + level);
        }
        blocks.add(new Heading(level, oneLine(text)));
        return this;
    }

    /**
     * Markdown text. The HTML rendering understands blank-line-separated paragraphs, "- " list items, `code`,
     * **bold**, *italic* and [links](url); everything else is shown as escaped text.
     */
    public Report paragraph(String markdown) {
        blocks.add(new Paragraph(markdown));
        return this;
    }

    /** A table; every row has as many cells as the header. Columns of numbers are right-aligned. */
    public Report table(List<String> header, List<List<String>> rows) {
        boolean[] numeric = new boolean[header.size()];
        Arrays.fill(numeric, !rows.isEmpty());
        List<List<String>> copy = new ArrayList<>();
        for (List<String> row : rows) {
            if (row.size() != header.size()) {
                throw new IllegalArgumentException("table row " + (copy.size() + 1) + " has " + row.size()
                        + " cells, the header " + header.size() + ": " + row);
            }
            List<String> cells =
                    row.stream().map(c -> c == null ? "" : oneLine(c)).toList();
            for (int c = 0; c < cells.size(); c++) {
                numeric[c] &= NUMBER.matcher(cells.get(c).strip()).matches();
            }
            copy.add(cells);
        }
        blocks.add(new Table(header.stream().map(Report::oneLine).toList(), copy, numeric));
        return this;
    }

    /** A PNG image saved as {@code fileName} (letters, digits, '.', '_', '-'; ending in .png; unique). */
    public Report image(String fileName, String caption, byte[] png) {
        if (!FILE_NAME.matcher(fileName).matches()) {
            throw new IllegalArgumentException("image file name must be a plain name ending in .png: " + fileName);
        }
        if (png.length < 8 || !Arrays.equals(png, 0, 8, PNG_SIGNATURE, 0, 8)) {
            throw new IllegalArgumentException("image " + fileName + " is not a PNG");
        }
        if (!fileNames.add(fileName)) {
            throw new IllegalArgumentException("image file name used twice: " + fileName);
        }
        blocks.add(new Image(fileName, caption == null ? "" : oneLine(caption), png.clone()));
        return this;
    }

    /** Writes {@code report.md}, its image files and {@code report.html} into {@code dir}, each file atomically. */
    public void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (Block b : blocks) {
            if (b instanceof Image image) {
                writeAtomically(dir.resolve(image.fileName()), image.png());
            }
        }
        writeAtomically(dir.resolve("report.md"), markdown().getBytes(StandardCharsets.UTF_8));
        writeAtomically(dir.resolve("report.html"), html().getBytes(StandardCharsets.UTF_8));
    }

    /** The Markdown document; images are linked by file name. */
    public String markdown() {
        StringBuilder md = new StringBuilder();
        for (Block b : blocks) {
            if (b instanceof Heading h) {
                md.append("#".repeat(h.level())).append(' ').append(h.text()).append('\n');
            } else if (b instanceof Paragraph p) {
                md.append(p.markdown().strip()).append('\n');
            } else if (b instanceof Table t) {
                md.append(mdRow(t.header()));
                StringBuilder rule = new StringBuilder("|");
                for (boolean num : t.numeric()) {
                    rule.append(num ? " ---: |" : " --- |");
                }
                md.append(rule).append('\n');
                t.rows().forEach(r -> md.append(mdRow(r)));
            } else if (b instanceof Image i) {
                md.append("![")
                        .append(i.caption().replace("]", "\\]"))
                        .append("](")
                        .append(i.fileName())
                        .append(")\n");
                if (!i.caption().isEmpty()) {
                    md.append("\n*").append(i.caption()).append("*\n");
                }
            }
            md.append('\n');
        }
        return md.toString();
    }

    /** The self-contained HTML document. */
    public String html() {
        String title = blocks.stream()
                .filter(b -> b instanceof Heading)
                .map(b -> ((Heading) b).text())
                .findFirst()
                .orElse("Report");
        StringBuilder html = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n")
                .append("<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>")
                .append(escape(title))
                .append("</title>\n<style>\n")
                .append(CSS)
                .append("</style>\n</head>\n<body>\n");
        for (Block b : blocks) {
            if (b instanceof Heading h) {
                html.append("<h")
                        .append(h.level())
                        .append('>')
                        .append(inline(h.text()))
                        .append("</h")
                        .append(h.level())
                        .append(">\n");
            } else if (b instanceof Paragraph p) {
                htmlParagraphs(html, p.markdown());
            } else if (b instanceof Table t) {
                html.append("<table>\n<thead>")
                        .append(htmlRow("th", t.header(), t.numeric()))
                        .append("</thead>\n<tbody>\n");
                t.rows().forEach(r -> html.append(htmlRow("td", r, t.numeric())));
                html.append("</tbody>\n</table>\n");
            } else if (b instanceof Image i) {
                html.append("<figure><img src=\"data:image/png;base64,")
                        .append(Base64.getEncoder().encodeToString(i.png()))
                        .append("\" alt=\"")
                        .append(escape(i.caption()))
                        .append("\">");
                if (!i.caption().isEmpty()) {
                    html.append("<figcaption>").append(inline(i.caption())).append("</figcaption>");
                }
                html.append("</figure>\n");
            }
        }
        return html.append("</body>\n</html>\n").toString();
    }

    private static String mdRow(List<String> cells) {
        StringBuilder row = new StringBuilder("|");
        cells.forEach(c -> row.append(' ').append(c.replace("|", "\\|")).append(" |"));
        return row.append('\n').toString();
    }

    private static String htmlRow(String tag, List<String> cells, boolean[] numeric) {
        StringBuilder row = new StringBuilder("<tr>");
        for (int c = 0; c < cells.size(); c++) {
            row.append('<')
                    .append(tag)
                    .append(numeric[c] ? " class=\"num\">" : ">")
                    .append(inline(cells.get(c)))
                    .append("</")
                    .append(tag)
                    .append('>');
        }
        return row.append("</tr>\n").toString();
    }

    /** Paragraphs, lists and inline Markdown as HTML: commonmark, raw HTML escaped, unsafe URLs dropped. */
    private static void htmlParagraphs(StringBuilder html, String markdown) {
        html.append(HTML.render(MARKDOWN.parse(markdown.strip())));
    }

    /** One line of Markdown as inline HTML (for headings, cells and captions): the paragraph tags taken off. */
    static String inline(String markdown) {
        String out = HTML.render(INLINE.parse(oneLine(markdown))).strip();
        return out.startsWith("<p>") && out.endsWith("</p>") ? out.substring(3, out.length() - 4) : out;
    }

    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static String oneLine(String text) {
        return text.replaceAll("\\s*\\R\\s*", " ").strip();
    }

    private static void writeAtomically(Path target, byte[] bytes) throws IOException {
        AtomicFile.write(target, out -> out.write(bytes));
    }
}
