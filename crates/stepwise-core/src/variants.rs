//! Test-only helpers for tables that must list every variant of an enum.

/// The listed variants as an array, through an exhaustive `match` on them: a variant
/// missing from the list does not compile. With `Variant => value` pairs it gives the
/// pairs instead, for tables that pin a value to each variant.
macro_rules! every_variant {
    ($enum:ident: $($variant:ident),+ $(,)?) => {{
        fn exhaustive(value: $enum) {
            match value {
                $($enum::$variant => {})+
            }
        }
        let _ = exhaustive;
        [$($enum::$variant),+]
    }};
    ($enum:ident: $($variant:ident => $value:expr),+ $(,)?) => {{
        fn exhaustive(value: $enum) {
            match value {
                $($enum::$variant => {})+
            }
        }
        let _ = exhaustive;
        [$(($enum::$variant, $value)),+]
    }};
}
