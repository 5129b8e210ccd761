//! Pure rules of the domain: no diesel, no actix.

/// Declares an enum of named values with its stored and wire text (snake_case).
macro_rules! text_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident => $text:literal,)* }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $($(#[$vdoc])* $variant,)*
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant,)*];

            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)*
                }
            }

            pub fn parse(text: &str) -> Option<$name> {
                $name::ALL.iter().copied().find(|v| v.as_str() == text)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

pub mod account;
pub mod authority;
pub mod broker;
pub mod calendar;
pub mod case;
pub mod contract;
pub mod event;
pub mod licence;
pub mod money;
pub mod page;
pub mod pay;
pub mod pay_period;
pub mod payslip;
pub mod placement;
pub mod rating;
pub mod region;
pub mod scoring;
pub mod statistics;
pub mod wage_floor;
pub mod worker;
