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
            Shape::Array { len: 1 } => "an array of 1 item".to_string(),
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

/// `T` read from a JSON object only. serde's derived structs also accept an array of
/// their fields in order, which made detection take `[["x"]]` for a LangSmith run or a
/// CrewAI event; the probes read their items through this.
pub(crate) struct ObjectOnly<T>(pub T);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for ObjectOnly<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<ObjectOnly<T>, D::Error> {
        T::deserialize(StructAsMap(deserializer)).map(ObjectOnly)
    }
}

/// Passes everything on, but asks for a map where a struct is asked for.
struct StructAsMap<D>(D);

impl<'de, D: Deserializer<'de>> Deserializer<'de> for StructAsMap<D> {
    type Error = D::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_any(visitor)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_map(visitor)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier
        ignored_any
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
    fn object_only_refuses_an_array_of_fields() {
        #[derive(serde::Deserialize)]
        struct Probe {
            run_type: Option<IgnoredAny>,
        }
        let from_array = serde_json::from_str::<ObjectOnly<Probe>>(r#"[["x"]]"#);
        assert!(from_array.is_err());
        let from_object = serde_json::from_str::<ObjectOnly<Probe>>(r#"{"run_type": 1}"#);
        assert!(matches!(
            from_object,
            Ok(ObjectOnly(Probe { run_type: Some(_) }))
        ));
    }

    #[test]
    fn arrays_and_scalars_are_described() {
        let shape: Shape = serde_json::from_str("[1, {}, []]").expect("valid JSON");
        assert_eq!(shape.describe(), "an array of 3 items");
        let shape: Shape = serde_json::from_str("42").expect("valid JSON");
        assert_eq!(shape.describe(), "a number");
    }
}
