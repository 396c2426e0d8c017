package io.chiron.policy;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Documents one constant of {@link ChironConfig}: its key, meaning and allowed range. Bounds are in
 * the field's unit, milliseconds for durations.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface Param {
    /** Configuration key, e.g. {@code chiron.local.beta}. */
    String key();

    /** What it means, with its unit. */
    String description();

    /** Smallest allowed value (milliseconds for a duration). */
    double min() default Double.NEGATIVE_INFINITY;

    /** Largest allowed value (milliseconds for a duration). */
    double max() default Double.POSITIVE_INFINITY;

    /** Whether {@link #min} itself is excluded. */
    boolean minExclusive() default false;

    /** Whether {@link #max} itself is excluded. */
    boolean maxExclusive() default false;
}
