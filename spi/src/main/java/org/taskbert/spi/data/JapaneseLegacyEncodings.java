package org.taskbert.spi.data;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.util.ArrayList;
import java.util.List;

/**
 * What a line that is not UTF-8 may be instead: Japanese text is still often saved as Shift_JIS (Windows' code page
 * 932) or EUC-JP. When the line decodes cleanly as one of them into Japanese, an error about invalid UTF-8 says so,
 * shows the text it would be, and how to convert the file.
 */
final class JapaneseLegacyEncodings {

    /** Java's names, and the names iconv knows them by. */
    private static final String[][] ENCODINGS = {{"windows-31j", "Shift_JIS", "CP932"}, {"EUC-JP", "EUC-JP", "EUC-JP"}};

    private JapaneseLegacyEncodings() {}

    /** A hint to add to the error, starting with "; ", or "" when the bytes are not Japanese in either. */
    static String hint(byte[] bytes, int from, int to) {
        List<String> names = new ArrayList<>();
        String text = null;
        String iconv = null;
        for (String[] e : ENCODINGS) {
            String decoded = decode(bytes, from, to, Charset.forName(e[0]));
            if (decoded != null && decoded.codePoints().anyMatch(JapaneseLegacyEncodings::isJapanese)) {
                names.add(e[1]);
                if (text == null) {
                    text = decoded;
                    iconv = e[2];
                }
            }
        }
        if (names.isEmpty()) {
            return "";
        }
        return "; the line reads as Japanese in " + String.join(" or ", names) + " (" + excerpt(text)
                + "): convert the file to UTF-8, e.g. iconv -f " + iconv + " -t UTF-8";
    }

    private static String decode(byte[] bytes, int from, int to, Charset charset) {
        try {
            return charset.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, from, to - from))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static boolean isJapanese(int cp) {
        Character.UnicodeScript s = Character.UnicodeScript.of(cp);
        return s == Character.UnicodeScript.HIRAGANA
                || s == Character.UnicodeScript.KATAKANA
                || s == Character.UnicodeScript.HAN;
    }

    /** Up to 20 characters from the first Japanese one. */
    private static String excerpt(String text) {
        int start = 0;
        while (start < text.length() && !isJapanese(text.codePointAt(start))) {
            start += Character.charCount(text.codePointAt(start));
        }
        int end = start;
        for (int n = 0; n < 20 && end < text.length(); n++) {
            end += Character.charCount(text.codePointAt(end));
        }
        return "\"" + text.substring(start, end) + (end < text.length() ? "…" : "") + "\"";
    }
}
