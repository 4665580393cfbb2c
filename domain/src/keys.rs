//! Stable text keys for enums: what the database stores, forms send, URLs carry and JSON
//! holds. One macro declares an enum with its keys, so that the key of every variant is
//! written once and `key`, `from_key`, `ALL`, the conversion used when reading a row and the
//! serde representation always agree.

#[doc(hidden)]
pub use serde as __serde;

/// A key that names no variant (a bad row or a tampered form); the error of
/// `TryFrom<String>`, which named database rows use to read key columns.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown {kind} key {key:?}")]
pub struct UnknownKey {
    pub kind: &'static str,
    pub key: String,
}

/// An enum whose variants have stable text keys (see [`keyed!`](crate::keyed)).
pub trait Keyed: Sized + Copy + 'static {
    /// Every variant, in declaration order.
    fn all() -> &'static [Self];
    fn key(self) -> &'static str;
    fn from_key(key: &str) -> Option<Self> {
        Self::all().iter().copied().find(|v| v.key() == key)
    }
}

/// Reads an optional closed choice from a form by its key: missing, `null` or empty is
/// `None` (the person chose nothing, a validation problem to tell them about); a key that
/// names no variant does not read at all. Use with `#[serde(default, deserialize_with = …)]`.
pub fn optional_key<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Keyed,
{
    use serde::de::Error;
    use serde::Deserialize;
    let text: Option<String> = Option::deserialize(deserializer)?;
    match text.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(key) => T::from_key(key).map(Some).ok_or_else(|| D::Error::custom(unknown(key))),
    }
}

/// The error of a key that names no variant; one function for every keyed enum.
fn unknown(key: &str) -> String {
    format!("unknown key `{key}`")
}

/// Reads a key as the variant it names (the serde side of [`keyed!`](crate::keyed)): one
/// small visitor for every keyed enum, rather than serde's derived one per enum, which
/// matters in the WASM that carries them all.
pub struct KeyVisitor<T>(std::marker::PhantomData<T>);

impl<T> Default for KeyVisitor<T> {
    fn default() -> Self {
        KeyVisitor(std::marker::PhantomData)
    }
}

impl<T: Keyed> serde::de::Visitor<'_> for KeyVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("one of the known keys")
    }

    fn visit_str<E: serde::de::Error>(self, key: &str) -> Result<T, E> {
        T::from_key(key).ok_or_else(|| E::custom(unknown(key)))
    }
}

/// Declares an enum whose variants carry a stable key: `Variant = "key"`. Generates
/// `ALL`, `key`, `from_key`, the [`Keyed`] trait, `TryFrom<String>` (for named rows) and
/// serde's `Serialize`/`Deserialize` as the key, so JSON and forms use the same words as
/// the database.
#[macro_export]
macro_rules! keyed {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $key:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        $vis enum $name {
            $( $(#[$vmeta])* $variant ),+
        }

        impl $name {
            /// Every variant, in declaration order.
            pub const ALL: [$name; [$($key),+].len()] = [$($name::$variant),+];

            /// The stable key: stored in the database, sent by forms.
            pub const fn key(self) -> &'static str {
                match self {
                    $( $name::$variant => $key ),+
                }
            }

            pub fn from_key(key: &str) -> Option<$name> {
                match key {
                    $( $key => Some($name::$variant), )+
                    _ => None,
                }
            }
        }

        impl $crate::keys::Keyed for $name {
            fn all() -> &'static [$name] {
                &$name::ALL
            }
            fn key(self) -> &'static str {
                $name::key(self)
            }
            fn from_key(key: &str) -> Option<$name> {
                $name::from_key(key)
            }
        }

        impl $crate::keys::__serde::Serialize for $name {
            fn serialize<S: $crate::keys::__serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.key())
            }
        }

        impl<'de> $crate::keys::__serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::keys::__serde::Deserializer<'de>>(deserializer: D) -> Result<$name, D::Error> {
                deserializer.deserialize_str($crate::keys::KeyVisitor::<$name>::default())
            }
        }

        impl ::core::convert::TryFrom<String> for $name {
            type Error = $crate::keys::UnknownKey;
            fn try_from(key: String) -> Result<$name, $crate::keys::UnknownKey> {
                $name::from_key(&key).ok_or($crate::keys::UnknownKey {
                    kind: stringify!($name),
                    key,
                })
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::Keyed;

    crate::keyed! {
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        enum Colour {
            Green = "green",
            /// Documented variants keep their comments.
            DarkRed = "dark_red",
        }
    }

    #[test]
    fn keys_round_trip_and_unknown_keys_are_named() {
        assert_eq!(Colour::ALL, [Colour::Green, Colour::DarkRed]);
        for colour in Colour::ALL {
            assert_eq!(Colour::from_key(colour.key()), Some(colour));
            assert_eq!(<Colour as Keyed>::from_key(colour.key()), Some(colour));
        }
        assert_eq!(Colour::from_key("red"), None);
        let error = Colour::try_from("red".to_string()).unwrap_err();
        assert_eq!(error.to_string(), "unknown Colour key \"red\"");
        assert_eq!(Colour::try_from("dark_red".to_string()), Ok(Colour::DarkRed));
    }

    #[test]
    fn serde_speaks_the_keys() {
        assert_eq!(serde_json::to_string(&Colour::DarkRed).unwrap(), r#""dark_red""#);
        assert_eq!(serde_json::from_str::<Colour>(r#""green""#).unwrap(), Colour::Green);
        let refused = serde_json::from_str::<Colour>(r#""DarkRed""#).unwrap_err();
        assert!(refused.to_string().contains("unknown key `DarkRed`"), "{refused}");
    }

    #[derive(serde::Deserialize, Debug, PartialEq)]
    struct Form {
        #[serde(default, deserialize_with = "super::optional_key")]
        colour: Option<Colour>,
    }

    #[test]
    fn optional_choices_read_empty_as_none_and_refuse_strangers() {
        let read = |json: &str| serde_json::from_str::<Form>(json).map(|f| f.colour);
        assert_eq!(read("{}").unwrap(), None);
        assert_eq!(read(r#"{"colour": ""}"#).unwrap(), None);
        assert_eq!(read(r#"{"colour": null}"#).unwrap(), None);
        assert_eq!(read(r#"{"colour": "dark_red"}"#).unwrap(), Some(Colour::DarkRed));
        assert!(read(r#"{"colour": "red"}"#).is_err());
    }
}
