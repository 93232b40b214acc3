package dev.nnkit.tck;

import java.util.List;
import org.junit.jupiter.api.DisplayNameGenerator;

/**
 * Names a contract's groups after the test class that runs them ({@code LionOptimizerTest › settings}),
 * not by the group alone: build tools such as Surefire report a group by its display name, and with
 * several plugins a failing "settings" must say whose it is. Used by every contract through
 * {@code @DisplayNameGeneration}, which test classes inherit.
 */
public final class ContractNames extends DisplayNameGenerator.Standard {

    @Override
    public String generateDisplayNameForNestedClass(List<Class<?>> enclosingInstanceTypes, Class<?> nestedClass) {
        Group group = nestedClass.getAnnotation(Group.class);
        if (group == null) {
            return super.generateDisplayNameForNestedClass(enclosingInstanceTypes, nestedClass);
        }
        Class<?> test = enclosingInstanceTypes.isEmpty() ? nestedClass.getEnclosingClass()
                : enclosingInstanceTypes.get(enclosingInstanceTypes.size() - 1);
        return test.getSimpleName() + " › " + group.value();
    }
}
