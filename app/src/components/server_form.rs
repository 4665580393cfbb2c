//! A form bound to a server function. Without JavaScript it posts to the function's address
//! (the server answers with a redirect); in the browser its submission runs the action, so
//! the page shows the answer without reloading.
//!
//! Unlike leptos' `ActionForm`, it touches its action only when it is submitted, never while
//! it is rendered: a page rendered on the server after its reader left (see
//! docs/architecture.md, "Pages finish even when their reader leaves") cannot trip on it.
use leptos::ev::SubmitEvent;
use leptos::form::FromFormData;
use leptos::prelude::*;
use serde::de::DeserializeOwned;
use server_fn::codec::PostUrl;
use server_fn::error::{IntoAppError, ServerFnErrorErr};
use server_fn::{Http, ServerFn};

#[component]
pub fn ServerForm<ServFn, OutputProtocol>(
    /// The action the form runs.
    action: ServerAction<ServFn>,
    children: Children,
) -> impl IntoView
where
    ServFn: ServerFn<Protocol = Http<PostUrl, OutputProtocol>> + DeserializeOwned + Clone + Send + Sync + 'static,
    ServFn::Output: Send + Sync + 'static,
    ServFn::Error: Send + Sync + 'static,
    OutputProtocol: 'static,
{
    let on_submit = move |ev: SubmitEvent| {
        if ev.default_prevented() {
            return;
        }
        ev.prevent_default();
        match ServFn::from_event(&ev) {
            Ok(input) => {
                action.dispatch(input);
            }
            Err(err) => {
                leptos::logging::error!("a form's fields do not match its server function: {err:?}");
                let error = ServerFnErrorErr::Serialization(err.to_string()).into_app_error();
                action.value().try_set(Some(Err(error)));
            }
        }
    };
    view! {
        <form action=ServFn::url() method="post" on:submit=on_submit>
            {children()}
        </form>
    }
}
