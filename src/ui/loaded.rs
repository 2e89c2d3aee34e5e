//! What a page shows for data it waits for: a loading state, the error in the reader's language,
//! or the data. Every panel that loads something goes through [`Loaded`].

use super::{ErrorNotice, loading};
use crate::error::AppError;
use crate::i18n::use_lang;
use leptos::prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;

/// What a resource may hold: a result, or (for a preview before anything is asked) nothing.
pub trait Outcome {
    type Value;
    fn outcome(self) -> Option<Result<Self::Value, AppError>>;
}

impl<T> Outcome for Result<T, AppError> {
    type Value = T;
    fn outcome(self) -> Option<Result<T, AppError>> {
        Some(self)
    }
}

impl<T> Outcome for Option<Result<T, AppError>> {
    type Value = T;
    fn outcome(self) -> Option<Result<T, AppError>> {
        self
    }
}

/// `body` with the resource's value once it is there; its error (or, for `NotFound`, the
/// `not_found` message with its test id) otherwise. `silent`: nothing while it loads (a part of
/// a form), rather than the loading line.
#[component]
pub fn Loaded<R, B>(
    resource: Resource<R>,
    body: B,
    #[prop(optional)] silent: bool,
    /// The message key and test id shown when the resource answers `NotFound`.
    #[prop(optional)]
    not_found: Option<(&'static str, &'static str)>,
) -> impl IntoView
where
    R: Outcome + Clone + Send + Sync + Serialize + DeserializeOwned + 'static,
    B: Fn(R::Value) -> AnyView + Clone + Send + Sync + 'static,
{
    let lang = use_lang();
    let fallback = move || (!silent).then(|| loading(lang));
    view! {
        <Suspense fallback>
            {move || {
                let body = body.clone();
                Suspend::new(async move {
                    match (resource.await.outcome(), not_found) {
                        (None, _) => ().into_any(),
                        (Some(Ok(value)), _) => body(value),
                        (Some(Err(AppError::NotFound)), Some((key, testid))) => view! {
                            <p class="notice-error" role="alert" data-testid=testid>
                                {crate::i18n::t(lang, key)}
                            </p>
                        }
                        .into_any(),
                        (Some(Err(e)), _) => view! { <ErrorNotice error=e /> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}
