//! `string_enum!`: OpenAPI string enums that keep values they don't know.

/// Declares a string enum with an `Unknown(String)` variant, so a value the server adds
/// later deserializes instead of failing. Serializes as the string.
///
/// ```
/// connectorkit::string_enum! {
///     /// Pet status.
///     pub enum Status {
///         /// Up for adoption.
///         Available = "available",
///         /// Taken.
///         Adopted = "adopted",
///     }
/// }
/// let s: Status = serde_json::from_str("\"sleeping\"").unwrap();
/// assert_eq!(s, Status::Unknown("sleeping".into()));
/// assert_eq!(Status::Available.as_str(), "available");
/// ```
#[macro_export]
macro_rules! string_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $wire:literal ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        $vis enum $name {
            $( $(#[$vmeta])* $variant, )*
            /// A value this client did not know when it was generated.
            Unknown(String),
        }

        impl $name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $( Self::$variant => $wire, )*
                    Self::Unknown(s) => s.as_str(),
                }
            }
        }

        impl ::std::convert::From<&str> for $name {
            fn from(s: &str) -> Self {
                match s {
                    $( $wire => Self::$variant, )*
                    other => Self::Unknown(::std::string::ToString::to_string(other)),
                }
            }
        }

        $crate::string_enum_impls!($name);
    };
}

/// The trait impls of a string enum whose type, `as_str(&self) -> &str` and `From<&str>` are
/// written out (as generated code does): `Display`, `FromStr`, `From<String>`, `Serialize`
/// and `Deserialize`, all through the string form. The enum must have an `Unknown(String)`
/// variant for values it does not know.
///
/// ```
/// #[derive(Clone, Debug, PartialEq)]
/// pub enum Kind {
///     Cat,
///     Unknown(String),
/// }
/// impl Kind {
///     pub fn as_str(&self) -> &str {
///         match self {
///             Self::Cat => "cat",
///             Self::Unknown(s) => s,
///         }
///     }
/// }
/// impl From<&str> for Kind {
///     fn from(s: &str) -> Self {
///         match s {
///             "cat" => Self::Cat,
///             _ => Self::Unknown(s.to_string()),
///         }
///     }
/// }
/// connectorkit::string_enum_impls!(Kind);
/// assert_eq!(serde_json::to_string(&Kind::Cat).unwrap(), "\"cat\"");
/// assert_eq!("dog".parse::<Kind>().unwrap(), Kind::Unknown("dog".into()));
/// ```
#[macro_export]
macro_rules! string_enum_impls {
    ($name:ident) => {
        $crate::string_enum_impls!($name, without_serialize);
        $crate::string_enum_serialize!($name);
    };
    ($name:ident, without_serialize) => {
        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;
            fn from_str(s: &str) -> ::std::result::Result<Self, ::std::convert::Infallible> {
                ::std::result::Result::Ok(<Self as ::std::convert::From<&str>>::from(s))
            }
        }

        impl ::std::convert::From<::std::string::String> for $name {
            fn from(s: ::std::string::String) -> Self {
                match <Self as ::std::convert::From<&str>>::from(s.as_str()) {
                    $name::Unknown(_) => $name::Unknown(s),
                    known => known,
                }
            }
        }

        impl<'de> $crate::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::serde::Deserializer<'de>>(
                d: D,
            ) -> ::std::result::Result<Self, D::Error> {
                let s = <::std::string::String as $crate::serde::Deserialize>::deserialize(d)?;
                ::std::result::Result::Ok(
                    <Self as ::std::convert::From<::std::string::String>>::from(s),
                )
            }
        }
    };
}

/// `Serialize` for a string enum: its wire value (see [`string_enum_impls!`], which
/// includes it unless told `without_serialize`; a generated crate then adds it under its
/// `serialize-all` feature).
#[macro_export]
#[doc(hidden)]
macro_rules! string_enum_serialize {
    ($name:ident) => {
        impl $crate::serde::Serialize for $name {
            fn serialize<S: $crate::serde::Serializer>(
                &self,
                s: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
    };
}
