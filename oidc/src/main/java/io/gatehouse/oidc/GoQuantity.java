package io.gatehouse.oidc;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * A port of Kubernetes' {@code resource.Quantity} as its CEL library uses it ({@code quantity()}, comparisons,
 * {@code add}, {@code sub}, {@code asInteger}, {@code asApproximateFloat}, {@code sign}): the same grammar and error
 * texts, the same suffixes (decimal SI {@code n u m k M G T P E}, binary SI {@code Ki … Ei}, exponents
 * {@code e3}/{@code E-2}), values kept exactly as an unscaled integer and a decimal scale like Go's {@code inf.Dec},
 * non-zero magnitudes rounded up to a nano, binary-SI values capped at 2⁶³−1.
 *
 * <p>Where Kubernetes would build a number with billions of digits (adding {@code 1} to {@code 1e2000000000}),
 * this refuses with an error instead: a claim must never make authentication spend unbounded time or memory.
 */
final class GoQuantity implements Comparable<GoQuantity> {

    static final String FORMAT_WRONG =
            "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
    static final String NUMERIC = "unable to parse numeric part of quantity";
    static final String SUFFIX = "unable to parse quantity's suffix";

    /** Beyond this many digits between two operands' scales, arithmetic would materialise a giant number. */
    private static final int MAX_SCALE_SPREAD = 10_000;
    private static final BigDecimal MAX_BINARY = BigDecimal.valueOf(Long.MAX_VALUE);
    private static final BigDecimal NANO = BigDecimal.ONE.scaleByPowerOfTen(-9);

    final BigDecimal value;

    private GoQuantity(BigDecimal value) {
        this.value = value;
    }

    /** An error with Kubernetes' text. */
    static final class QuantityException extends Exception {
        private static final long serialVersionUID = 1L;

        QuantityException(String message) {
            super(message, null, false, false);
        }
    }

    /** {@code resource.NewQuantity(i, DecimalExponent)}. */
    static GoQuantity of(long i) {
        return new GoQuantity(BigDecimal.valueOf(i));
    }

    /** {@code resource.ParseQuantity}. */
    static GoQuantity parse(String str) throws QuantityException {
        if (str.isEmpty()) {
            throw new QuantityException(FORMAT_WRONG);
        }
        if (str.equals("0")) {
            return new GoQuantity(BigDecimal.ZERO);
        }
        int end = str.length();
        int pos = 0;
        if (str.charAt(0) == '-' || str.charAt(0) == '+') {
            pos++;
        }
        // Leading zeros: a string of nothing else is zero, whatever its sign.
        while (pos < end && str.charAt(pos) == '0') {
            pos++;
        }
        if (pos >= end) {
            return new GoQuantity(BigDecimal.ZERO);
        }
        while (pos < end && isDigit(str.charAt(pos))) {
            pos++;
        }
        if (pos < end && str.charAt(pos) == '.') {
            pos++;
            while (pos < end && isDigit(str.charAt(pos))) {
                pos++;
            }
        }
        String value = str.substring(0, pos);
        String suffix;
        if (pos >= end) {
            suffix = "";
        } else {
            int suffixStart = pos;
            while (pos < end && "eEinumkKMGTP".indexOf(str.charAt(pos)) >= 0) {
                pos++;
            }
            if (pos < end && (str.charAt(pos) == '-' || str.charAt(pos) == '+')) {
                pos++;
            }
            while (pos < end && isDigit(str.charAt(pos))) {
                pos++;
            }
            if (pos < end) {
                throw new QuantityException(FORMAT_WRONG);
            }
            suffix = str.substring(suffixStart);
        }
        int base;
        int exponent;
        boolean binary = false;
        switch (suffix) {
            case "" -> { base = 10; exponent = 0; }
            case "n" -> { base = 10; exponent = -9; }
            case "u" -> { base = 10; exponent = -6; }
            case "m" -> { base = 10; exponent = -3; }
            case "k" -> { base = 10; exponent = 3; }
            case "M" -> { base = 10; exponent = 6; }
            case "G" -> { base = 10; exponent = 9; }
            case "T" -> { base = 10; exponent = 12; }
            case "P" -> { base = 10; exponent = 15; }
            case "E" -> { base = 10; exponent = 18; }
            case "Ki" -> { base = 2; exponent = 10; binary = true; }
            case "Mi" -> { base = 2; exponent = 20; binary = true; }
            case "Gi" -> { base = 2; exponent = 30; binary = true; }
            case "Ti" -> { base = 2; exponent = 40; binary = true; }
            case "Pi" -> { base = 2; exponent = 50; binary = true; }
            case "Ei" -> { base = 2; exponent = 60; binary = true; }
            default -> {
                if (suffix.length() > 1 && (suffix.charAt(0) == 'e' || suffix.charAt(0) == 'E')) {
                    long parsed;
                    try {
                        parsed = Long.parseLong(suffix.substring(1));
                    } catch (NumberFormatException e) {
                        throw new QuantityException(SUFFIX);
                    }
                    base = 10;
                    exponent = (int) parsed; // Go's int32(parsed): wraps as Go does
                } else {
                    throw new QuantityException(SUFFIX);
                }
            }
        }
        BigDecimal amount;
        try {
            amount = new BigDecimal(value);
        } catch (NumberFormatException e) {
            throw new QuantityException(NUMERIC);
        }
        try {
            if (base == 10) {
                amount = amount.scaleByPowerOfTen(exponent);
            } else {
                amount = new BigDecimal(amount.unscaledValue().shiftLeft(exponent), amount.scale());
            }
        } catch (ArithmeticException e) {
            throw new QuantityException(NUMERIC);
        }
        int sign = amount.signum();
        BigDecimal magnitude = amount.abs();
        if (sign != 0 && magnitude.scale() > 9) {
            // Round non-zero values up to a nano: "if you want some resources, you should get some".
            if (magnitude.precision() - magnitude.scale() <= -9) {
                magnitude = NANO; // below a nano: exactly a nano (and no 10^huge division)
            } else {
                magnitude = magnitude.setScale(9, RoundingMode.UP);
            }
        }
        if (binary && magnitude.compareTo(MAX_BINARY) > 0) {
            magnitude = MAX_BINARY;
        }
        return new GoQuantity(sign < 0 ? magnitude.negate() : magnitude);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** {@code q.Add(y)}: exact. */
    GoQuantity add(GoQuantity y) throws QuantityException {
        checkSpread(y);
        return new GoQuantity(value.add(y.value));
    }

    /** {@code q.Sub(y)}: exact. */
    GoQuantity sub(GoQuantity y) throws QuantityException {
        checkSpread(y);
        return new GoQuantity(value.subtract(y.value));
    }

    private void checkSpread(GoQuantity y) throws QuantityException {
        // Zeros too: Go's inf.Dec rescales a zero's operand as any other ('0e-2000000000' plus 1 is a number with two
        // billion digits there), and so does BigDecimal, which cannot hold it at all.
        if (Math.abs((long) value.scale() - (long) y.value.scale()) > MAX_SCALE_SPREAD) {
            throw new QuantityException("quantity arithmetic out of range");
        }
    }

    /** {@code q.Sign()}. */
    int sign() {
        return value.signum();
    }

    /** {@code q.AsInt64()}: the value when it is an integer within int64, else null. */
    Long asInt64() {
        if (value.signum() == 0) {
            return 0L;
        }
        // Integer digits: precision - scale; more than 19 cannot fit (and must not be materialised).
        if ((long) value.precision() - value.scale() > 19) {
            return null;
        }
        try {
            return value.toBigIntegerExact().longValueExact();
        } catch (ArithmeticException notAnInt64) {
            return null;
        }
    }

    /**
     * {@code q.AsApproximateFloat64()}: Go's arithmetic, the unscaled integer as a float64 times {@code math.Pow10}
     * of the exponent, so that the last bit agrees with Kubernetes.
     */
    double asApproximateFloat() {
        double base = new BigDecimal(value.unscaledValue()).doubleValue();
        long exponent = -(long) value.scale();
        if (exponent == 0) {
            return base;
        }
        return base * pow10(exponent);
    }

    private static final double[] POW10 = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13,
        1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22, 1e23, 1e24, 1e25, 1e26, 1e27, 1e28, 1e29, 1e30, 1e31};
    private static final double[] POW10_POS32 = {1e0, 1e32, 1e64, 1e96, 1e128, 1e160, 1e192, 1e224, 1e256, 1e288};
    private static final double[] POW10_NEG32 = {1e-0, 1e-32, 1e-64, 1e-96, 1e-128, 1e-160, 1e-192, 1e-224, 1e-256,
        1e-288, 1e-320};

    /** Go's {@code math.Pow10}: the product of two table entries, not a correctly rounded power. */
    static double pow10(long n) {
        if (0 <= n && n <= 308) {
            return POW10_POS32[(int) n / 32] * POW10[(int) n % 32];
        }
        if (-323 <= n && n <= 0) {
            return POW10_NEG32[(int) -n / 32] / POW10[(int) -n % 32];
        }
        return n > 0 ? Double.POSITIVE_INFINITY : 0;
    }

    @Override
    public int compareTo(GoQuantity o) {
        return value.compareTo(o.value);
    }

    /** Kubernetes' {@code Equal}: by value, whatever the scale ({@code 1k == 1000}). */
    @Override
    public boolean equals(Object o) {
        return o instanceof GoQuantity q && value.compareTo(q.value) == 0;
    }

    @Override
    public int hashCode() {
        // Equal values hash alike: strip trailing zeros, but never expand a huge exponent.
        return value.signum() == 0 ? 0 : value.stripTrailingZeros().hashCode();
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
