//! `connectorkit`: generate typed async Rust clients from API definitions.

mod convert;
mod fetch;
mod generate;
mod report;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

/// Typed async Rust clients from OpenAPI definitions.
#[derive(Parser, Debug)]
#[command(name = "connectorkit", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Generate a client crate (one input) or a workspace of crates (several inputs).
    Generate {
        /// Definition files or http(s) URLs.
        #[arg(required = true)]
        inputs: Vec<String>,
        /// Output directory: the crate (one input) or the workspace (several).
        #[arg(long, short)]
        out: PathBuf,
        /// Crate name (one input only); derived from the definition's title otherwise.
        #[arg(long)]
        name: Option<String>,
        /// Depend on the connectorkit runtime at this path instead of by version.
        #[arg(long)]
        runtime_path: Option<PathBuf>,
        /// Print every warning, not just their count.
        #[arg(long, short)]
        verbose: bool,
    },
    /// Print the normalized OpenAPI 3.0 document.
    Convert {
        /// A definition file or URL.
        input: String,
        /// Write here instead of stdout.
        #[arg(long, short = 'o')]
        output: Option<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Json)]
        format: Format,
    },
    /// Check definitions and print located diagnostics.
    Validate {
        /// Definition files or URLs.
        #[arg(required = true)]
        inputs: Vec<String>,
    },
}

/// Output formats of `convert`.
#[derive(Clone, Copy, Debug, ValueEnum)]
enum Format {
    /// JSON.
    Json,
    /// YAML.
    Yaml,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let ok = match cli.command {
        Command::Generate {
            inputs,
            out,
            name,
            runtime_path,
            verbose,
        } => generate::run(&inputs, &out, name, runtime_path.as_deref(), verbose),
        Command::Convert {
            input,
            output,
            format,
        } => convert::run(&input, output.as_deref(), matches!(format, Format::Yaml)),
        Command::Validate { inputs } => convert::validate(&inputs),
    };
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
