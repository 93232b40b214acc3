package dev.nnkit.core.config;

import java.util.List;

/** Checks of the window sizes that convolution and pooling settings share. */
final class WindowSettings {
    private WindowSettings() {
    }

    /** {@code [height, width]} from one or two numbers, each at least {@code least}. */
    static List<Integer> pair(String name, List<Integer> given, int least) {
        if (given == null || given.isEmpty() || given.size() > 2) {
            throw new IllegalArgumentException(name + " must be one number or [height, width]; got " + given + ".");
        }
        for (int v : given) {
            if (v < least) {
                throw new IllegalArgumentException(name + " must be at least " + least + "; got " + given + ".");
            }
        }
        return given.size() == 1 ? List.of(given.get(0), given.get(0)) : List.copyOf(given);
    }

    /**
     * Padding as {@code [height, width]}, or the words {@code "valid"} (which is [0, 0]) and, when
     * {@code sameAllowed}, {@code "same"}.
     */
    static Object padding(Object given, boolean sameAllowed) {
        if (given instanceof String s) {
            if (s.equals("valid")) {
                return List.of(0, 0);
            }
            if (s.equals("same") && sameAllowed) {
                return s;
            }
            throw new IllegalArgumentException("padding must be a number, [height, width]"
                    + (sameAllowed ? ", \"valid\" or \"same\"" : " or \"valid\"") + "; got \"" + s + "\".");
        }
        List<?> list = given instanceof List<?> l ? l : given == null ? List.of() : List.of(given);
        if (list.isEmpty() || list.size() > 2) {
            throw new IllegalArgumentException("padding must be one number or [height, width]; got " + given + ".");
        }
        int[] pads = new int[list.size()];
        for (int i = 0; i < pads.length; i++) {
            if (!(list.get(i) instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())
                    || n.doubleValue() < 0 || n.doubleValue() > 1 << 20) {
                throw new IllegalArgumentException("padding must be whole numbers from 0 to " + (1 << 20) + "; got "
                        + given + ".");
            }
            pads[i] = n.intValue();
        }
        return List.of(pads[0], pads[pads.length - 1]);
    }
}
