package org.taskbert.model.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HalfTest {

    @Test
    void everyHalfMatchesItsDefinition() {
        for (int bits = 0; bits < 0x10000; bits++) {
            int sign = bits >>> 15;
            int exponent = (bits >>> 10) & 0x1f;
            int mantissa = bits & 0x3ff;
            float actual = Half.toFloat((short) bits);
            if (exponent == 0x1f) {
                assertTrue(mantissa == 0 ? Float.isInfinite(actual) : Float.isNaN(actual), Integer.toHexString(bits));
                assertEquals(sign == 1, Float.floatToRawIntBits(actual) < 0);
                continue;
            }
            double magnitude =
                    exponent == 0 ? mantissa * Math.pow(2, -24) : (1 + mantissa / 1024.0) * Math.pow(2, exponent - 15);
            double expected = sign == 1 ? -magnitude : magnitude;
            assertEquals(
                    Double.doubleToRawLongBits(expected),
                    Double.doubleToRawLongBits(actual),
                    Integer.toHexString(bits));
        }
    }

    @Test
    void nanPayloadAndSignSurvive() {
        assertEquals(0xffc02000, Float.floatToRawIntBits(Half.toFloat((short) 0xfe01)));
    }

    @Test
    void bfloat16IsTheUpperHalfOfAFloat() {
        assertEquals(1f, Half.bfloat16ToFloat((short) 0x3f80));
        assertEquals(-2.5f, Half.bfloat16ToFloat((short) 0xc020));
        assertEquals(0x1p-133f, Half.bfloat16ToFloat((short) 0x0001));
    }
}
