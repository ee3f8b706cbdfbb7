package org.taskbert.spi.config;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A task's {@code locale} picks its sentence splitter; one ICU would silently read as its root rules is refused. */
class RequireLocaleTest {

    @Test
    void languagesPassByCodeWithOrWithoutRegion() {
        for (String ok : new String[] {"ja", "ja_JP", "ja-JP", "en", "EN", "zh-Hant", "ko", "de"}) {
            assertDoesNotThrow(() -> ConfigChecks.requireLocale("c.yaml", "task.locale", ok), ok);
        }
    }

    @Test
    void aCountryOrAWordIsNotALanguage() {
        var e = assertThrows(ConfigException.class, () -> ConfigChecks.requireLocale("c.yaml", "task.locale", "jp"));
        assertTrue(e.getMessage().startsWith("c.yaml: field 'task.locale' must name a language"), e.getMessage());
        assertTrue(e.getMessage().contains("Japanese is ja"), e.getMessage());
        for (String bad : new String[] {"japanese", "", "  ", "xx"}) {
            assertThrows(ConfigException.class, () -> ConfigChecks.requireLocale("c.yaml", "task.locale", bad), bad);
        }
    }
}
