package org.taskbert.model.format;

/** Exact conversions of 16-bit floats (IEEE binary16 and bfloat16) to float. */
public final class Half {

    private Half() {}

    /** IEEE 754 binary16 to float, exactly: signed zeros, subnormals, infinities and NaN payloads. */
    public static float toFloat(short bits) {
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> 10) & 0x1f;
        int mantissa = bits & 0x3ff;
        if (exponent == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            float magnitude = mantissa * 0x1p-24f; // exact: mantissa < 2^10
            return sign != 0 ? -magnitude : magnitude;
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }

    /** bfloat16 to float: bfloat16 is the upper half of a float32. */
    public static float bfloat16ToFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xffff) << 16);
    }
}
