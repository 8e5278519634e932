//! gazette: a static site generator for regional science-and-technology policy-news
//! portals. Data flows one way: [`load`] → [`model`] → [`render`] → [`write`]; [`build()`]
//! runs them all. [`import`] turns scraped pages into articles, outside that flow.

mod build;
pub mod config;
pub mod deploy;
pub mod diagnostics;
pub mod escape;
pub mod import;
pub mod links;
pub mod load;
pub mod mime;
pub mod model;
pub mod new;
pub mod render;
pub mod serve;
pub mod text;
pub mod write;

pub use build::incremental::{LiveSite, Rebuilt, RelatedJob, RelatedLists};
pub use build::{build, check, BuildOptions, BuildReport, CheckReport, StageTimes};
pub use diagnostics::{BuildError, Diagnostic};
