//! The top-level shape of a JSON document, read without building a `Value` tree.

use std::fmt;

use serde::de::{Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

/// What detection needs to know: the top-level keys (and the `format` tag), or the array length.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Shape {
    Object {
        /// In document order.
        keys: Vec<String>,
        /// The value of a top-level `"format"` string, if any.
        format_tag: Option<String>,
    },
    Array {
        len: usize,
    },
    Scalar(&'static str),
}

impl Shape {
    pub fn has_key(&self, key: &str) -> bool {
        matches!(self, Shape::Object { keys, .. } if keys.iter().any(|k| k == key))
    }

    pub fn format_tag(&self) -> Option<&str> {
        match self {
            Shape::Object { format_tag, .. } => format_tag.as_deref(),
            _ => None,
        }
    }

    /// For "unknown format" messages: what the document looked like.
    pub fn describe(&self) -> String {
        match self {
            Shape::Object { keys, .. } if keys.is_empty() => "an empty object".to_string(),
            Shape::Object { keys, .. } => {
                let mut shown: Vec<&str> = keys.iter().map(String::as_str).take(8).collect();
                shown.sort_unstable();
                let more = if keys.len() > shown.len() {
                    ", …"
                } else {
                    ""
                };
                format!("an object with keys {}{more}", shown.join(", "))
            }
            Shape::Array { len: 0 } => "an empty array".to_string(),
            Shape::Array { len } => format!("an array of {len} items"),
            Shape::Scalar(kind) => kind.to_string(),
        }
    }
}

struct ShapeVisitor;

impl<'de> Visitor<'de> for ShapeVisitor {
    type Value = Shape;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON document")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Shape, A::Error> {
        let mut keys = Vec::new();
        let mut format_tag = None;
        while let Some(key) = map.next_key::<String>()? {
            if key == "format" {
                format_tag = map.next_value::<FormatTag>()?.0;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
            keys.push(key);
        }
        Ok(Shape::Object { keys, format_tag })
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Shape, A::Error> {
        let mut len = 0;
        while seq.next_element::<IgnoredAny>()?.is_some() {
            len += 1;
        }
        Ok(Shape::Array { len })
    }

    fn visit_str<E>(self, _: &str) -> Result<Shape, E> {
        Ok(Shape::Scalar("a string"))
    }
    fn visit_bool<E>(self, _: bool) -> Result<Shape, E> {
        Ok(Shape::Scalar("a boolean"))
    }
    fn visit_i64<E>(self, _: i64) -> Result<Shape, E> {
        Ok(Shape::Scalar("a number"))
    }
    fn visit_u64<E>(self, _: u64) -> Result<Shape, E> {
        Ok(Shape::Scalar("a number"))
    }
    fn visit_f64<E>(self, _: f64) -> Result<Shape, E> {
        Ok(Shape::Scalar("a number"))
    }
    fn visit_unit<E>(self) -> Result<Shape, E> {
        Ok(Shape::Scalar("null"))
    }
}

impl<'de> Deserialize<'de> for Shape {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Shape, D::Error> {
        deserializer.deserialize_any(ShapeVisitor)
    }
}

/// A `"format"` value that is kept only when it is a string.
struct FormatTag(Option<String>);

impl<'de> Deserialize<'de> for FormatTag {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<FormatTag, D::Error> {
        struct TagVisitor;
        impl<'de> Visitor<'de> for TagVisitor {
            type Value = FormatTag;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_str<E>(self, text: &str) -> Result<FormatTag, E> {
                Ok(FormatTag(Some(text.to_string())))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<FormatTag, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(FormatTag(None))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<FormatTag, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(FormatTag(None))
            }
            fn visit_bool<E>(self, _: bool) -> Result<FormatTag, E> {
                Ok(FormatTag(None))
            }
            fn visit_i64<E>(self, _: i64) -> Result<FormatTag, E> {
                Ok(FormatTag(None))
            }
            fn visit_u64<E>(self, _: u64) -> Result<FormatTag, E> {
                Ok(FormatTag(None))
            }
            fn visit_f64<E>(self, _: f64) -> Result<FormatTag, E> {
                Ok(FormatTag(None))
            }
            fn visit_unit<E>(self) -> Result<FormatTag, E> {
                Ok(FormatTag(None))
            }
        }
        deserializer.deserialize_any(TagVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn object_keys_and_format_tag_are_read() {
        let shape: Shape =
            serde_json::from_str(r#"{"format": "stepwise-trace", "trace": {"x": [1, 2]}}"#)
                .expect("valid JSON");
        assert_eq!(shape.format_tag(), Some("stepwise-trace"));
        assert!(shape.has_key("trace"));
        assert!(!shape.has_key("x"));
    }

    #[test]
    fn non_string_format_is_not_a_tag() {
        let shape: Shape = serde_json::from_str(r#"{"format": {"a": 1}}"#).expect("valid JSON");
        assert_eq!(shape.format_tag(), None);
    }

    #[test]
    fn arrays_and_scalars_are_described() {
        let shape: Shape = serde_json::from_str("[1, {}, []]").expect("valid JSON");
        assert_eq!(shape.describe(), "an array of 3 items");
        let shape: Shape = serde_json::from_str("42").expect("valid JSON");
        assert_eq!(shape.describe(), "a number");
    }
}
