package org.taskbert.tokenize;

/** The character classes of BERT's tokenization.py, on Unicode code points. */
final class Chars {

    private Chars() {}

    /** _is_whitespace: space, \t, \n, \r, or category Zs. */
    static boolean isWhitespace(int cp) {
        return cp == ' '
                || cp == '\t'
                || cp == '\n'
                || cp == '\r'
                || Character.getType(cp) == Character.SPACE_SEPARATOR;
    }

    /** _is_control: categories Cc and Cf, except \t, \n and \r (which count as whitespace). */
    static boolean isControl(int cp) {
        if (cp == '\t' || cp == '\n' || cp == '\r') {
            return false;
        }
        int type = Character.getType(cp);
        return type == Character.CONTROL || type == Character.FORMAT;
    }

    /** _is_punctuation: all non-alphanumeric printable ASCII, plus Unicode categories P*. */
    static boolean isPunctuation(int cp) {
        if ((cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) || (cp >= 123 && cp <= 126)) {
            return true;
        }
        return switch (Character.getType(cp)) {
            case Character.CONNECTOR_PUNCTUATION,
                    Character.DASH_PUNCTUATION,
                    Character.START_PUNCTUATION,
                    Character.END_PUNCTUATION,
                    Character.INITIAL_QUOTE_PUNCTUATION,
                    Character.FINAL_QUOTE_PUNCTUATION,
                    Character.OTHER_PUNCTUATION -> true;
            default -> false;
        };
    }

    /** _is_chinese_char: the CJK Unified Ideographs blocks and their extensions and compatibility forms. */
    static boolean isCjk(int cp) {
        return (cp >= 0x4E00 && cp <= 0x9FFF)
                || (cp >= 0x3400 && cp <= 0x4DBF)
                || (cp >= 0x20000 && cp <= 0x2A6DF)
                || (cp >= 0x2A700 && cp <= 0x2B73F)
                || (cp >= 0x2B740 && cp <= 0x2B81F)
                || (cp >= 0x2B820 && cp <= 0x2CEAF)
                || (cp >= 0xF900 && cp <= 0xFAFF)
                || (cp >= 0x2F800 && cp <= 0x2FA1F);
    }

    /** Python's str.isspace(), which str.split() and str.strip() use. */
    static boolean isPythonSpace(int cp) {
        return Character.isWhitespace(cp) || Character.isSpaceChar(cp) || cp == 0x85;
    }

    /** Unicode's Cased property: upper, lower or title case, Other_Uppercase/Lowercase included. */
    static boolean isCased(int cp) {
        return Character.isLowerCase(cp) || Character.isUpperCase(cp) || Character.isTitleCase(cp);
    }

    /**
     * Unicode's Case_Ignorable property: categories Mn, Me, Cf, Lm and Sk, plus the characters whose
     * Word_Break is MidLetter, MidNumLet or Single_Quote.
     */
    static boolean isCaseIgnorable(int cp) {
        return switch (Character.getType(cp)) {
            case Character.NON_SPACING_MARK,
                    Character.ENCLOSING_MARK,
                    Character.FORMAT,
                    Character.MODIFIER_LETTER,
                    Character.MODIFIER_SYMBOL -> true;
            default ->
                switch (cp) {
                    case '\'',
                            '.',
                            ':',
                            0xB7,
                            0x387,
                            0x55F,
                            0x5F4,
                            0x2018,
                            0x2019,
                            0x2024,
                            0x2027,
                            0xFE13,
                            0xFE52,
                            0xFE55,
                            0xFF07,
                            0xFF0E,
                            0xFF1A -> true;
                    default -> false;
                };
        };
    }
}
