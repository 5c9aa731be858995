//! The page's one price table: fetched and parsed once, shared by every load through a context. State layer: uses I/O and the core.

use std::sync::Arc;

use leptos::prelude::*;
use leptos::reactive::computed::ScopedFuture;

use stepwise_core::pricing::PriceTable;

/// Our price table (scripts/gen-prices.py), fetched only to estimate unstated costs.
pub const PRICES_PATH: &str = "prices.json";

/// The price table, fetched once per page load (the app provides it); `None` inside when
/// it could not be had, and traces then open with their unpriced calls counted as such.
#[derive(Clone, Copy)]
pub struct Prices(LocalResource<Option<Arc<PriceTable>>>);

impl Prices {
    pub fn new() -> Prices {
        Prices(LocalResource::new(|| async {
            load_prices().await.ok().map(Arc::new)
        }))
    }

    /// The table, once fetched. Read without tracking: a load that waits for it inside a
    /// resource must not be run again when the table arrives.
    pub async fn table(self) -> Option<Arc<PriceTable>> {
        let resource = self.0;
        ScopedFuture::new_untracked(async move { resource.await }).await
    }
}

impl Default for Prices {
    fn default() -> Prices {
        Prices::new()
    }
}

async fn load_prices() -> Result<PriceTable, String> {
    let bytes = crate::io::remote::fetch_asset(PRICES_PATH).await?;
    let text = String::from_utf8(bytes).map_err(|error| error.to_string())?;
    PriceTable::from_compact_json(&text)
}
