package dev.nnkit.tck;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** The name of a contract's group of checks, which {@link ContractNames} prefixes with the test class. */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@interface Group {
    String value();
}
