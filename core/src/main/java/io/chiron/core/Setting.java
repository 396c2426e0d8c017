package io.chiron.core;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * One option of Chiron's, wherever it is set (the job's {@code --chiron.…} keys, a policy constant
 * of {@code --set}, a command-line flag bound to it): its key, type, default, meaning and allowed
 * range, and the one way its text is read. Durations are read by {@link Durations#parse}, numbers
 * must be finite, and every refusal names the key, the value and what is allowed. The Flink job
 * turns settings into its {@code ConfigOption}s; nothing here knows Flink.
 *
 * <p>Bounds are doubles in the value's unit, milliseconds for a duration.
 *
 * @param <T> Integer, Long, Double, Duration, Boolean, String or an enum
 */
public final class Setting<T> implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String key;
    private final Class<T> type;
    private final T defaultValue;
    private final String description;
    private final double min;
    private final double max;
    private final boolean minExclusive;
    private final boolean maxExclusive;
    private final List<String> choices;

    private Setting(
            String key,
            Class<T> type,
            T defaultValue,
            String description,
            double min,
            double max,
            boolean minExclusive,
            boolean maxExclusive,
            List<String> choices) {
        this.key = key;
        this.type = type;
        this.defaultValue = defaultValue;
        this.description = description;
        this.min = min;
        this.max = max;
        this.minExclusive = minExclusive;
        this.maxExclusive = maxExclusive;
        this.choices = List.copyOf(choices);
    }

    /** A setting of any supported type; {@code defaultValue} null means none. */
    public static <T> Setting<T> of(String key, Class<T> type, T defaultValue, String description) {
        if (!(type == Integer.class
                || type == Long.class
                || type == Double.class
                || type == Duration.class
                || type == Boolean.class
                || type == String.class
                || type.isEnum())) {
            throw new IllegalArgumentException(key + ": unsupported type " + type.getName());
        }
        return new Setting<>(
                key,
                type,
                defaultValue,
                description,
                Double.NEGATIVE_INFINITY,
                Double.POSITIVE_INFINITY,
                false,
                false,
                List.of());
    }

    public static Setting<Integer> integer(String key, Integer defaultValue, String description) {
        return of(key, Integer.class, defaultValue, description);
    }

    public static Setting<Long> longInteger(String key, Long defaultValue, String description) {
        return of(key, Long.class, defaultValue, description);
    }

    public static Setting<Double> number(String key, Double defaultValue, String description) {
        return of(key, Double.class, defaultValue, description);
    }

    public static Setting<Duration> duration(
            String key, Duration defaultValue, String description) {
        return of(key, Duration.class, defaultValue, description);
    }

    public static Setting<Boolean> flag(String key, Boolean defaultValue, String description) {
        return of(key, Boolean.class, defaultValue, description);
    }

    public static Setting<String> text(String key, String defaultValue, String description) {
        return of(key, String.class, defaultValue, description);
    }

    /** The same setting allowed only in [min, max] (milliseconds for a duration). */
    public Setting<T> between(double min, double max) {
        return new Setting<>(key, type, defaultValue, description, min, max, false, false, choices);
    }

    /** The same setting with its bounds themselves excluded or not. */
    public Setting<T> excluding(boolean min, boolean max) {
        return new Setting<>(
                key, type, defaultValue, description, this.min, this.max, min, max, choices);
    }

    /** The same text setting allowed only one of {@code values}. */
    public Setting<T> oneOf(String... values) {
        return new Setting<>(
                key,
                type,
                defaultValue,
                description,
                min,
                max,
                minExclusive,
                maxExclusive,
                List.of(values));
    }

    public String key() {
        return key;
    }

    public Class<T> type() {
        return type;
    }

    /** The default, or null when there is none. */
    public T defaultValue() {
        return defaultValue;
    }

    public String description() {
        return description;
    }

    /**
     * Reads {@code raw} and checks it.
     *
     * @throws IllegalArgumentException "key = 'raw': …" with what is allowed
     */
    public T parse(String raw) {
        T value;
        try {
            value = read(raw.trim());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(key + " = '" + raw + "': " + expected(), e);
        }
        if (!allows(value)) {
            throw new IllegalArgumentException(key + " = '" + raw + "': must be " + allowed());
        }
        return value;
    }

    /**
     * Checks a value that is already typed (a default changed in code, a value Flink read).
     *
     * @throws IllegalArgumentException "key = value: must be …"
     */
    public T check(T value) {
        return check(value, key + " = ", "");
    }

    /**
     * Checks a value given under another name, a command-line flag bound to this setting.
     *
     * @throws IllegalArgumentException "NAME value: must be … (key)"
     */
    public T check(String name, T value) {
        return check(value, name + " ", " (" + key + ")");
    }

    private T check(T value, String before, String after) {
        if (value != null && !allows(value)) {
            throw new IllegalArgumentException(
                    before + show(value) + ": must be " + allowed() + after);
        }
        return value;
    }

    /** Whether {@code value} lies in the allowed range (null, an absent value, always does). */
    public boolean allows(T value) {
        if (value == null) {
            return true;
        }
        if (value instanceof String s) {
            return choices.isEmpty() || choices.contains(s);
        }
        if (value instanceof Boolean || value instanceof Enum<?>) {
            return true;
        }
        double v = value instanceof Duration d ? d.toMillis() : ((Number) value).doubleValue();
        boolean aboveMin = minExclusive ? v > min : v >= min;
        boolean belowMax = maxExclusive ? v < max : v <= max;
        return aboveMin && belowMax;
    }

    /** What is allowed, in words: "in (0, 1)", "from 1 s to 2 h", "one of a, b", "any". */
    public String allowed() {
        if (type.isEnum()) {
            return "one of " + enumChoices();
        }
        if (type == String.class) {
            return choices.isEmpty() ? "any" : "one of " + String.join(", ", choices);
        }
        if (type == Boolean.class) {
            return "true or false";
        }
        if (Double.isInfinite(min) && Double.isInfinite(max)) {
            return "any";
        }
        boolean duration = type == Duration.class;
        String lo = bound(min, duration);
        String hi = bound(max, duration);
        if (duration) {
            return "from " + lo + (minExclusive ? " (excluded)" : "") + " to " + hi;
        }
        return "in " + (minExclusive ? "(" : "[") + lo + ", " + hi + (maxExclusive ? ")" : "]");
    }

    /** A value as the documentation and error messages write it ("5 s", "2 min", "0.7"). */
    public static String show(Object value) {
        if (value instanceof Duration d) {
            return bound(d.toMillis(), true);
        }
        if (value instanceof Enum<?> e) {
            return e.name();
        }
        return String.valueOf(value);
    }

    @SuppressWarnings("unchecked")
    private T read(String v) {
        Object parsed;
        if (type == Integer.class) {
            parsed = Integer.parseInt(v);
        } else if (type == Long.class) {
            parsed = Long.parseLong(v);
        } else if (type == Double.class) {
            double d = Double.parseDouble(v);
            if (!Double.isFinite(d)) {
                throw new IllegalArgumentException("not finite");
            }
            parsed = d;
        } else if (type == Duration.class) {
            parsed = Durations.parse(v);
        } else if (type == Boolean.class) {
            if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
                throw new IllegalArgumentException("not a boolean");
            }
            parsed = Boolean.parseBoolean(v);
        } else if (type.isEnum()) {
            parsed = enumConstant(v);
        } else {
            parsed = v;
        }
        return (T) parsed;
    }

    private Object enumConstant(String v) {
        for (T c : type.getEnumConstants()) {
            if (((Enum<?>) c).name().equalsIgnoreCase(v.replace('-', '_'))) {
                return c;
            }
        }
        throw new IllegalArgumentException("not one of " + enumChoices());
    }

    private String expected() {
        if (type == Duration.class) {
            return Durations.ALLOWED;
        }
        String range = allowed().equals("any") ? "" : " " + allowed();
        if (type == Integer.class || type == Long.class) {
            return "must be an integer" + range;
        }
        if (type == Double.class) {
            return "must be a number" + range;
        }
        return "must be " + allowed();
    }

    private String enumChoices() {
        StringBuilder b = new StringBuilder();
        for (T c : type.getEnumConstants()) {
            b.append(b.length() == 0 ? "" : ", ")
                    .append(((Enum<?>) c).name().toLowerCase(Locale.ROOT));
        }
        return b.toString();
    }

    private static String bound(double v, boolean duration) {
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        if (!duration) {
            return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
        }
        long ms = (long) v;
        if (ms == 0) {
            return "0 s";
        }
        if (ms % 3_600_000 == 0) {
            return ms / 3_600_000 + " h";
        }
        if (ms % 60_000 == 0) {
            return ms / 60_000 + " min";
        }
        if (ms % 1_000 == 0) {
            return ms / 1_000 + " s";
        }
        return ms + " ms";
    }

    @Override
    public String toString() {
        return key;
    }
}
