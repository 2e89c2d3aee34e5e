//! Who did something, from where and through which channel: what every audit entry records.
//!
//! Invariants:
//! - Every audited write names a real actor: the signed-in user (id and login) with the client's
//!   address, or for the command line and the server's own jobs the fixed names `cli` and
//!   `system` at `local`. No web or API action is recorded as `cli` or `system`.
//! - The channel says how the action arrived: `web` (the console's server functions), `api`
//!   (the signed open API), `cli` (the `partner-center` command) or `system` (scheduled work).
//!   An [`Origin`] is made once at the edge (a server function, an open-API handler, the command
//!   line) and passed down; services never guess it.

use super::model::SessionUser;

/// How an action reached the product.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    Web,
    Api,
    Cli,
    System,
}

impl Channel {
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Web => "web",
            Channel::Api => "api",
            Channel::Cli => "cli",
            Channel::System => "system",
        }
    }
}

/// Where a request came from: the client's address and the channel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    pub ip: String,
    pub channel: Channel,
}

impl Origin {
    pub fn web(ip: &str) -> Origin {
        Origin {
            ip: ip.to_string(),
            channel: Channel::Web,
        }
    }

    pub fn api(ip: &str) -> Origin {
        Origin {
            ip: ip.to_string(),
            channel: Channel::Api,
        }
    }

    pub fn cli() -> Origin {
        Origin {
            ip: "local".into(),
            channel: Channel::Cli,
        }
    }

    pub fn system() -> Origin {
        Origin {
            ip: "local".into(),
            channel: Channel::System,
        }
    }
}

/// Who did something: a user, or the command line or the server itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user_id: Option<i64>,
    pub name: String,
    pub origin: Origin,
}

impl Actor {
    pub fn user(user: &SessionUser, origin: &Origin) -> Actor {
        Actor {
            user_id: Some(user.id),
            name: user.login.clone(),
            origin: origin.clone(),
        }
    }

    pub fn cli() -> Actor {
        Actor {
            user_id: None,
            name: "cli".into(),
            origin: Origin::cli(),
        }
    }

    pub fn system() -> Actor {
        Actor {
            user_id: None,
            name: "system".into(),
            origin: Origin::system(),
        }
    }

    pub fn ip(&self) -> &str {
        &self.origin.ip
    }

    /// Writes what this actor did to `target` in the write's transaction: the one way every
    /// domain records what it did.
    pub async fn record(
        &self,
        tx: &mut crate::server::db::Tx<'_>,
        action: &str,
        target: Target<'_>,
        detail: &str,
        now: i64,
    ) -> Result<(), crate::error::AppError> {
        let target = target.text();
        let entry = AuditEntry {
            actor: self,
            action,
            target: &target,
            detail,
        };
        super::repo::audit(&mut **tx, entry, now).await?;
        Ok(())
    }
}

/// Declares [`Target`]: each record kind with the name it is written with (`kind:id`).
macro_rules! targets {
    ($($variant:ident => $kind:literal),* $(,)?) => {
        /// What an audit entry is about: a record of one kind with its id (written `kind:id`),
        /// or a name as it is (a login, the two accounts of a transfer).
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Target<'a> {
            $($variant(i64),)*
            AccessKey(&'a str),
            Named(&'a str),
        }

        impl Target<'_> {
            pub fn text(self) -> String {
                match self {
                    Target::Named(name) => name.to_string(),
                    Target::AccessKey(ak) => format!("access_key:{ak}"),
                    $(Target::$variant(id) => format!(concat!($kind, ":{}"), id),)*
                }
            }
        }
    };
}

targets! {
    Partner => "partner", Customer => "customer", User => "user", Quota => "quota",
    Order => "order", Contract => "contract", Evidence => "evidence", Invitation => "invitation",
    Opportunity => "opportunity", PathApplication => "path_application",
    PathInvitation => "path_invitation", ReviewWindow => "review_window",
    EmployeeLink => "employee_link",
}

/// One line of the audit trail: who did what to what.
pub struct AuditEntry<'a> {
    pub actor: &'a Actor,
    pub action: &'a str,
    pub target: &'a str,
    pub detail: &'a str,
}

/// Who acts, on which database, from where: what the console's and the API's entry points hand
/// a service (the command line and jobs pass an [`Actor`] instead). Its `actor` is what the
/// audit trail records of it (`cx.actor.record(tx, …)`).
#[derive(Debug, Clone)]
pub struct Caller {
    pub db: crate::server::db::Db,
    pub user: SessionUser,
    pub actor: Actor,
}

impl Caller {
    /// The signed-in `user` on `db`, from `origin`.
    pub fn new(db: crate::server::db::Db, user: SessionUser, origin: &Origin) -> Caller {
        let actor = Actor::user(&user, origin);
        Caller { db, user, actor }
    }
}
