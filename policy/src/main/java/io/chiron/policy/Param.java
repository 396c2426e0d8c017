package io.chiron.policy;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Documents one constant of {@link ChironConfig}: its key, unit and meaning. */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface Param {
    /** Configuration key, e.g. {@code chiron.local.beta}. */
    String key();

    /** What it means, with its unit. */
    String description();
}
