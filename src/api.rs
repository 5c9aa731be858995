//! The trace APIs Stepwise can list and fetch from: kinds, URLs and list parsing. Pure core.

/// Which API a base URL speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ApiKind {
    /// Stepwise's own contract: `GET {base}/traces`, `GET {base}/traces/{id}` (docs/api.md).
    Stepwise,
    /// The Langfuse public API (`/api/public/traces`), basic auth with a key pair.
    Langfuse,
    /// The Jaeger query API (`/api/traces?service=`, `/api/traces/{id}`).
    Jaeger,
}

impl ApiKind {
    pub const ALL: [ApiKind; 3] = [ApiKind::Stepwise, ApiKind::Langfuse, ApiKind::Jaeger];

    /// The `kind=` value in the address.
    pub fn key(self) -> &'static str {
        match self {
            ApiKind::Stepwise => "stepwise",
            ApiKind::Langfuse => "langfuse",
            ApiKind::Jaeger => "jaeger",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ApiKind::Stepwise => "Stepwise API",
            ApiKind::Langfuse => "Langfuse",
            ApiKind::Jaeger => "Jaeger",
        }
    }

    pub fn from_key(key: &str) -> Result<ApiKind, String> {
        ApiKind::ALL
            .into_iter()
            .find(|kind| kind.key() == key)
            .ok_or_else(|| {
                format!("Unknown API kind {key:?} in the address: expected stepwise, langfuse or jaeger.")
            })
    }
}
