//! Who is signed in, as every page needs it: loaded once per page by the layout and shared
//! with the components below it.
use domain::roles::Role;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Bumped whenever the signed-in account may have changed (sign-in, sign-out, register),
/// so the header and pages load it again.
#[derive(Clone, Copy)]
pub struct AuthRefresh(pub RwSignal<u32>);

/// The signed-in account, loaded once per page and shared with every component below.
#[derive(Clone, Copy)]
pub struct CurrentUser(pub Resource<Option<Me>>);

pub fn use_current_user() -> Resource<Option<Me>> {
    expect_context::<CurrentUser>().0
}

impl AuthRefresh {
    pub fn bump(self) {
        self.0.update(|n| *n += 1);
    }
}

/// The signed-in account, as the UI needs it on every page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Me {
    pub id: i64,
    pub full_name: String,
    pub role: Role,
    pub chamber: Option<i64>,
    /// Unread notifications, for the menu.
    #[serde(default)]
    pub unread: i64,
}
