package dev.nnkit.api.plugin;

import dev.nnkit.api.plugin.PluginProvider;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns plain settings into a plugin's config record and back, by record-component name, so
 * plugins need no binding code and no annotations. Supported component types: double, float,
 * int, long, boolean, String, enums (by case-insensitive name, '-' for '_') and lists of those;
 * a list setting given one value takes it as a list of one ({@code "kernel": 3} is {@code [3]}).
 * An {@code Object} component takes a number, string, boolean or list of them as given, for a
 * setting of several forms ({@code "padding": 1}, {@code [1, 2]} or {@code "same"}) that the
 * record checks itself.
 *
 * <p>The record class must be public in a package the plugin's module exports (or opens).
 * Immutable utility; thread-safe.
 */
public final class ConfigBinder {
    private ConfigBinder() {
    }

    /** The provider's config built from {@code params}, defaults filling the gaps. */
    public static <C extends Record> C bind(PluginProvider<C, ?> provider, Map<String, Object> params) {
        Class<C> type = provider.configType();
        C defaults = provider.defaultConfig();
        RecordComponent[] components = type.getRecordComponents();
        List<String> names = new ArrayList<>(components.length); // a loop, not a stream: no lambda to spin up cold
        for (RecordComponent rc : components) {
            names.add(rc.getName());
        }
        String where = "'" + provider.id() + "'";
        for (String key : params.keySet()) {
            if (!names.contains(key)) {
                String hint = Names.nearest(key, names).map(n -> " Did you mean '" + n + "'?").orElse("");
                throw new PluginConfigException(key, "Unknown setting '" + key + "' for " + where + "." + hint
                        + (names.isEmpty() ? " It takes no settings." : " Known: " + String.join(", ", names) + "."), null);
            }
        }
        Object[] args = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            RecordComponent rc = components[i];
            types[i] = rc.getType();
            if (params.containsKey(rc.getName())) {
                args[i] = convert(where, rc.getName(), params.get(rc.getName()), rc.getType(), rc.getGenericType());
            } else if (provider.requiredKeys().contains(rc.getName())) {
                throw new PluginConfigException(rc.getName(), "Missing setting '" + rc.getName() + "' for " + where
                        + ": it has no default. Add \"" + rc.getName() + "\": <value>.", null);
            } else {
                args[i] = read(rc, defaults);
            }
        }
        try {
            Constructor<C> canonical = type.getDeclaredConstructor(types);
            return canonical.newInstance(args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            String message = cause.getMessage() == null ? "the plugin refused them" : cause.getMessage();
            // Config records name the setting first ("momentum must be in [0, 1); got 1.5."): point at it.
            String key = names.stream().filter(n -> message.startsWith(n + " ")).findFirst().orElse("");
            throw new PluginConfigException(key, "Invalid settings for " + where + ": " + message, cause);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new PluginConfigException("", "Cannot build the settings of " + where + " (" + type.getName()
                    + "): " + e + "." + accessFix(type), e);
        }
    }

    /** The record's settings as plain values, the inverse of {@link #bind}. */
    public static Map<String, Object> toMap(Record config) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (RecordComponent rc : config.getClass().getRecordComponents()) {
            Object v = read(rc, config);
            out.put(rc.getName(), v instanceof Enum<?> e ? e.name().toLowerCase(Locale.ROOT).replace('_', '-') : v);
        }
        return out;
    }

    private static Object read(RecordComponent rc, Record from) {
        try {
            return rc.getAccessor().invoke(from);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Cannot read " + rc + " of " + from.getClass().getName() + ": " + e + "."
                    + accessFix(from.getClass()), e);
        }
    }

    /** How to let nnkit read a settings record it could not: export its package, or make it public. */
    private static String accessFix(Class<?> type) {
        Module module = type.getModule();
        String pkg = type.getPackageName();
        if (module.isNamed() && !module.isExported(pkg, ConfigBinder.class.getModule())) {
            return " Export the package to nnkit: add 'exports " + pkg + ";' (or 'exports " + pkg + " to dev.nnkit.api;')"
                    + " to module " + module.getName() + "'s module-info.java.";
        }
        return java.lang.reflect.Modifier.isPublic(type.getModifiers()) ? " The settings record and its canonical"
                + " constructor must be public, in a package nnkit can read." : " Make " + type.getName() + " public.";
    }

    private static Object convert(String where, String key, Object value, Class<?> type, Type generic) {
        String bad = "Setting '" + key + "' of " + where + " must be ";
        if (type == double.class || type == Double.class || type == float.class || type == Float.class) {
            if (value instanceof Number n) {
                return type == float.class || type == Float.class ? (Object) n.floatValue() : (Object) n.doubleValue();
            }
            throw new PluginConfigException(key, bad + "a number; got " + describe(value) + ".", null);
        }
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            if (value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
                long l = n.longValue();
                if (type == long.class || type == Long.class) {
                    return l;
                }
                if (l == (int) l) {
                    return (int) l;
                }
            }
            throw new PluginConfigException(key, bad + "a whole number; got " + describe(value) + ".", null);
        }
        if (type == boolean.class || type == Boolean.class) {
            if (value instanceof Boolean b) {
                return b;
            }
            throw new PluginConfigException(key, bad + "true or false; got " + describe(value) + ".", null);
        }
        if (type == String.class) {
            if (value instanceof String s) {
                return s;
            }
            throw new PluginConfigException(key, bad + "a string; got " + describe(value) + ".", null);
        }
        if (type.isEnum()) {
            List<String> allowed = new ArrayList<>();
            for (Object c : type.getEnumConstants()) {
                String id = ((Enum<?>) c).name().toLowerCase(Locale.ROOT).replace('_', '-');
                allowed.add(id);
                if (value instanceof String s && s.toLowerCase(Locale.ROOT).replace('_', '-').equals(id)) {
                    return c;
                }
            }
            throw new PluginConfigException(key, bad + "one of " + allowed + "; got " + describe(value) + ".", null);
        }
        if (type == Object.class) {
            if (value instanceof Number || value instanceof String || value instanceof Boolean) {
                return value;
            }
            if (value instanceof List<?> list) {
                for (int i = 0; i < list.size(); i++) {
                    convert(where, key + "[" + i + "]", list.get(i), Object.class, Object.class);
                }
                return List.copyOf(list);
            }
            throw new PluginConfigException(key, bad + "a number, string, boolean or list; got " + describe(value)
                    + ".", null);
        }
        if (type == List.class && generic instanceof ParameterizedType pt
                && pt.getActualTypeArguments()[0] instanceof Class<?> element) {
            boolean single = !(value instanceof List<?>);
            List<?> list = single ? java.util.Collections.singletonList(value) : (List<?>) value;
            List<Object> out = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) { // a single value is named as given, not as element 0
                out.add(convert(where, single ? key : key + "[" + i + "]", list.get(i), element, element));
            }
            return List.copyOf(out);
        }
        throw new PluginConfigException(key, "Setting '" + key + "' of " + where + " has type " + generic.getTypeName()
                + ", which configs cannot express. Use a number, string, boolean, enum or list.", null);
    }

    private static String describe(Object value) {
        return value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
    }
}
