//! The command line, as clap sees it: every flag, its help text, and the long help.

use std::marker::PhantomData;
use std::path::PathBuf;

use chatcaptain::paging::Operation;
use chatcaptain::{Contact, Organization};
use chrono::{DateTime, Utc};
use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::resource::{Creatable, Resource};
use crate::spec_flags::BodyFlags;

use crate::output::Format;

const AFTER_LONG_HELP: &str = "\
Settings:
  Each setting is taken from the first of: its flag, its environment variable, the profile,
  the built-in default. A profile named with --profile comes before the environment.
    setting     flag            variable                profile     default
    API key     --api-key-file  CHATCAPTAIN_API_KEY     key_file    (none)
    chatbot     --chatbot       CHATCAPTAIN_CHATBOT     chatbot     (none)
    base URL    --base-url      CHATCAPTAIN_BASE_URL    base_url    https://api.chatcaptain.com
    max rate    --max-rate      CHATCAPTAIN_MAX_RATE    max_rate    (none: the server's 429s)
    retry mode  --retry-mode    CHATCAPTAIN_RETRY_MODE  retry_mode  standard
    CA file     --ca-file       CHATCAPTAIN_CA_FILE     ca_file     (none: the system's roots)
    profile     --profile       CHATCAPTAIN_PROFILE                 default, if configured
  Profiles live in $XDG_CONFIG_HOME/chatcaptain/config.toml (~/.config/... without it; in
  $CHATCAPTAIN_CONFIG_DIR/config.toml when that is set), one per chatbot; `chatcaptain
  configure` writes them. A profile names the key's file, never the key.
  There is deliberately no flag that takes the key itself: a key typed on the command line
  lands in shell history and in `ps` output. A key file that group or others can read is
  refused (chmod 600 it), as ssh refuses such a private key; so is a config file that group or
  others can write, or that sits in a directory they can write (chmod go-w it): it chooses
  where the key is sent.

Output:
  table   a readable table (the default when stdout is a terminal); control characters in
          the data (escape sequences, newlines) are shown escaped, e.g. \\u{1b}
  ndjson  one JSON object per line (the default when stdout is not a terminal); streams
  json    a JSON array (an object for single contacts); streams, one record per line
  csv     a header and one row per record; streams. Cells starting with =, +, -, @, tab or
          carriage return get a leading ' so a spreadsheet does not run them as formulas
          (a sign followed by digits only, like +4915100000999, is left as it is);
          --no-csv-guard writes them as stored
  ndjson and json hold the data exactly (JSON escapes control characters itself).
  Streamed formats hold one record in memory at a time, so
  `chatcaptain contacts list --all --output ndjson --chatbot ID > contacts.ndjson`
  works for any number of contacts. A table collects its rows first.
  list and search stop after 50 records unless given --limit N or --all.
  --fields id,name,email (list, search, get) prints only those fields, in that order, in
  every format; the names are the CSV columns (a contact's, an organization's).

Exit codes:
  0    success (also when a reader such as `head` closes the pipe early)
  1    the API answered with an error, could not be reached, or a deletion was declined
  2    usage error: bad flags, no API key or chatbot, a key file that cannot be read or that
       others can read, an unknown profile, a malformed config file or one (or its directory)
       others can write, nothing to update, delete without --yes when stdin is not a terminal
  3    authentication or permission refused (401, 403)
  4    not found (404)
  5    doctor: nothing differs, but not everything could be checked (NOT CHECKED lines)
  130  interrupted (Ctrl-C): what was written is flushed, up to the last whole record";

/// Look at and move the contacts of a ChatCaptain chatbot.
#[derive(Debug, Parser)]
#[command(name = "chatcaptain", version, after_long_help = AFTER_LONG_HELP)]
pub struct Cli {
    /// Read the API key from this file, which only its owner may read (chmod 600); surrounding
    /// whitespace is ignored [else: CHATCAPTAIN_API_KEY, the profile's key_file].
    #[arg(long, global = true, value_name = "PATH")]
    pub api_key_file: Option<PathBuf>,

    /// The API's address, e.g. a local fake server [else: CHATCAPTAIN_BASE_URL, the profile's
    /// base_url, https://api.chatcaptain.com; an empty value counts as not given].
    // The variables are read in `settings`, not by clap: the order of flag, variable and
    // profile is decided there, in one place, and `configure` must store only what was typed.
    #[arg(long, global = true, value_name = "URL")]
    pub base_url: Option<String>,

    /// Also trust the root certificates in this PEM file (a private CA, a proxy that inspects
    /// TLS) [else: CHATCAPTAIN_CA_FILE, the profile's ca_file; default: the system's only].
    #[arg(long, global = true, value_name = "PATH")]
    pub ca_file: Option<PathBuf>,

    /// Use this profile of the config file [else: CHATCAPTAIN_PROFILE, the profile named
    /// default if there is one].
    #[arg(long, global = true, value_name = "NAME")]
    pub profile: Option<String>,

    /// Output format [default: table on a terminal, ndjson otherwise].
    #[arg(long, short, global = true, value_enum)]
    pub output: Option<Format>,

    /// In CSV, put a ' before cells that start with =, +, -, @, tab or carriage return (a sign
    /// followed by digits only excepted), so a spreadsheet shows them instead of running them as
    /// formulas [default].
    #[arg(long, global = true, overrides_with = "no_csv_guard")]
    pub csv_guard: bool,

    /// Write CSV cells exactly as stored, for programs rather than spreadsheets.
    #[arg(long, global = true, overrides_with = "csv_guard")]
    pub no_csv_guard: bool,

    /// Send at most this many requests per second, all of the command's calls together (import
    /// --parallel and list --parallel share it) [else: CHATCAPTAIN_MAX_RATE, the profile's
    /// max_rate; default: no limit but the server's 429s].
    #[arg(long, global = true, value_name = "PER_SECOND")]
    pub max_rate: Option<f64>,

    /// How to meet 429s: standard waits out each Retry-After (every call at once); adaptive also
    /// learns the rate the server grants and keeps below it, for long imports and exports
    /// [else: CHATCAPTAIN_RETRY_MODE, the profile's retry_mode; default: standard].
    #[arg(long, global = true, value_parser = retry_mode_parser(), value_name = "MODE")]
    pub retry_mode: Option<RetryMode>,

    #[command(subcommand)]
    pub command: Command,
}

/// How the tool meets 429s (as the AWS CLI's `retry_mode`): the library's one value.
pub use chatcaptain::RetryMode;

/// `--retry-mode`'s parser: the library's names, listed in the help and the completions.
fn retry_mode_parser() -> impl clap::builder::TypedValueParser<Value = RetryMode> {
    use clap::builder::TypedValueParser as _;
    clap::builder::PossibleValuesParser::new(RetryMode::ALL.map(RetryMode::name))
        .map(|name| name.parse::<RetryMode>().expect("a listed name"))
}

/// The top-level commands.
// Parsed once per run: the size of the larger variant costs nothing worth a Box.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub enum Command {
    /// The contacts of a chatbot.
    #[command(subcommand)]
    Contacts(ContactsCommand),
    /// The organizations of a chatbot (the companies its contacts belong to).
    #[command(subcommand)]
    Organizations(OrganizationsCommand),
    /// Check the API against the spec with read-only requests (contacts: list, search, get,
    /// organizations; organizations: list, search): every difference with its JSON pointer, and
    /// what each list shows of order, timestamp precision, `limit` and `pageToken`, and whether
    /// each search pages (page 2), and which header names each request.
    ///
    /// Exit 0 when everything was checked and matches the spec, 1 when something differs, 5 when
    /// nothing differs but something could not be checked (no contacts or no organizations, too
    /// few hits for a page 2, a probe the server failed): "not checked" is not "matches". Exit 3
    /// when the key is refused (401) or may not read the chatbot (403: another chatbot's key, or a
    /// missing permission), as every command.
    Doctor(DoctorArgs),
    /// Save a profile (one per chatbot) in the config file: its chatbot, key file and base URL.
    /// A new profile needs --chatbot and --key-file; for one that exists, what is given changes
    /// and the rest stays. The profile is --profile's, else CHATCAPTAIN_PROFILE's, else default.
    Configure(ConfigureArgs),
    /// Call any path of the API with the key and settings of the other commands, as `gh api`:
    /// the answer's body is printed whatever its status, and the exit code is the other
    /// commands' (3 for 401/403, 4 for 404, 1 for any other error status).
    Api(crate::commands::api::ApiArgs),
    /// Print a shell completion script: `chatcaptain completions bash > /etc/bash_completion.d/chatcaptain`,
    /// zsh into a directory of `$fpath` as `_chatcaptain`, fish into
    /// `~/.config/fish/completions/chatcaptain.fish`, powershell into your profile.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
}

impl Command {
    /// The chatbot a command works on; `None` for those that need none.
    pub fn chatbot_mut(&mut self) -> Option<&mut Chatbot> {
        match self {
            Command::Contacts(command) => Some(match command {
                ContactsCommand::List(args) => &mut args.chatbot,
                ContactsCommand::Search(args) => &mut args.chatbot,
                ContactsCommand::Get(args) => &mut args.target.chatbot,
                ContactsCommand::Organizations(args) => &mut args.chatbot,
                ContactsCommand::Create(args) => &mut args.chatbot,
                ContactsCommand::Update(args) => &mut args.target.chatbot,
                ContactsCommand::Delete(args) => &mut args.target.chatbot,
                ContactsCommand::Import(args) => &mut args.chatbot,
            }),
            Command::Organizations(command) => Some(match command {
                OrganizationsCommand::List(args) => &mut args.chatbot,
                OrganizationsCommand::Search(args) => &mut args.chatbot,
                OrganizationsCommand::Create(args) => &mut args.chatbot,
            }),
            Command::Doctor(args) => Some(&mut args.chatbot),
            Command::Configure(_) | Command::Completions { .. } | Command::Api(_) => None,
        }
    }
}

const CONFIGURE_EXAMPLES: &str = "\
Examples:
  chatcaptain configure --profile shop --chatbot ID --key-file ~/.config/chatcaptain/shop.key
  chatcaptain configure --profile shop --base-url http://127.0.0.1:8080
  chatcaptain configure --profile shop --base-url ''    (back to the default address)
  chatcaptain configure list";

/// `configure`.
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true, after_help = CONFIGURE_EXAMPLES)]
pub struct ConfigureArgs {
    #[command(subcommand)]
    pub action: Option<ConfigureAction>,
    /// The chatbot's ID.
    #[arg(long, value_name = "ID")]
    pub chatbot: Option<String>,
    /// The file the chatbot's API key is in, private to its owner (chmod 600); the profile holds
    /// its absolute path, never the key.
    #[arg(long, value_name = "PATH")]
    pub key_file: Option<PathBuf>,
}

/// What `configure` can do besides saving a profile.
#[derive(Debug, Subcommand)]
pub enum ConfigureAction {
    /// Show the profiles of the config file (they hold no key).
    List,
}

/// `doctor`.
#[derive(Debug, Args)]
pub struct DoctorArgs {
    #[command(flatten)]
    pub chatbot: Chatbot,
    /// The `limit` of each list page asked for (the spec assumes a maximum of 1000).
    #[arg(long, value_name = "N", default_value_t = 1000)]
    pub limit: u32,
    /// The search term of both searches [default: the name of the first contact listed, and of
    /// the first organization].
    #[arg(long, value_name = "TEXT")]
    pub query: Option<String>,
}

/// What can be done with contacts.
#[derive(Debug, Subcommand)]
pub enum ContactsCommand {
    /// List contacts, newest first.
    List(ListArgs<Contact>),
    /// Search contacts by full text.
    Search(SearchArgs<Contact>),
    /// Show one contact.
    Get(GetArgs),
    /// Create a contact from flags or a JSON file.
    Create(CreateArgs),
    /// Change fields of a contact; fields not given stay as they are.
    Update(UpdateArgs),
    /// Delete a contact (asks first on a terminal, unless --yes).
    Delete(DeleteArgs),
    /// List the organizations a contact belongs to.
    Organizations(IdArgs),
    /// Create one contact per record of an ndjson or CSV file (the export's columns).
    Import(ImportArgs),
}

/// What can be done with organizations.
#[derive(Debug, Subcommand)]
pub enum OrganizationsCommand {
    /// List organizations, newest first.
    List(ListArgs<Organization>),
    /// Search organizations by full text.
    Search(SearchArgs<Organization>),
    /// Create an organization from flags or a JSON file.
    Create(NewArgs<Organization>),
}

/// `create`, with a flag per field of the spec's body.
#[derive(Debug, Args)]
pub struct NewArgs<R: Creatable> {
    #[command(flatten)]
    pub chatbot: Chatbot,
    #[command(flatten)]
    pub body: BodyFlags<R>,
}

/// `contacts import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    #[command(flatten)]
    pub chatbot: Chatbot,
    /// The records: ndjson (one JSON object per line) or CSV with the columns of the CSV
    /// export; `-` reads stdin.
    pub file: PathBuf,
    /// The file's format [default: csv for a .csv file, ndjson otherwise].
    #[arg(long, value_enum)]
    pub format: Option<ImportFormat>,
    /// How many contacts to create at once (under the client's shared rate limit).
    #[arg(long, value_name = "N", default_value_t = 4)]
    pub parallel: usize,
    /// Where records that were not created go (ndjson: line, record, error, outcome)
    /// [default: stderr].
    #[arg(long, value_name = "FILE")]
    pub rejects: Option<PathBuf>,
    /// The journal of what was sent and what came of it, so that the same import run again
    /// resumes: it creates what is left, retries what was rejected, and never sends twice a
    /// record that may have been created [default: a journal in the state directory
    /// ($CHATCAPTAIN_STATE_DIR, else $XDG_STATE_HOME/chatcaptain, else
    /// ~/.local/state/chatcaptain) found by chatbot, base URL and input file].
    #[arg(long, value_name = "FILE", conflicts_with = "no_journal")]
    pub journal: Option<PathBuf>,
    /// Keep no journal: running the command again creates every record again (how to import the
    /// same records a second time on purpose).
    #[arg(long)]
    pub no_journal: bool,
}

/// The format of an import file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ImportFormat {
    /// One JSON object per line.
    Ndjson,
    /// A header row and one contact per row.
    Csv,
}

/// The chatbot whose contacts a command works on.
#[derive(Debug, Args)]
pub struct Chatbot {
    /// The chatbot's ID [else: CHATCAPTAIN_CHATBOT, the profile's chatbot].
    // Not required here: the variable or the profile may give it, and `settings::chatbot`
    // fills it in (or says what is missing) before a command runs.
    #[arg(id = "chatbot", long = "chatbot", value_name = "ID")]
    pub id: Option<String>,
}

impl Chatbot {
    /// The ID, as `settings::chatbot` filled it in.
    pub fn id(&self) -> &str {
        self.id
            .as_deref()
            .expect("settings::chatbot runs before every command")
    }
}

/// How much of a listing of `R` to fetch, and how.
#[derive(Debug, Args)]
pub struct Window<R: Resource> {
    #[arg(long, conflicts_with = "limit", help = format!(
        "Fetch every {} (a table collects them all; prefer ndjson or csv for big exports)",
        R::ONE
    ))]
    pub all: bool,
    #[arg(long, value_name = "N", help = format!("Stop after this many {} [default: 50]", R::MANY))]
    pub limit: Option<usize>,
    #[arg(long, value_name = "N", help = page_size_help::<R>())]
    pub page_size: Option<u32>,
    #[arg(skip)]
    _resource: PhantomData<R>,
}

/// `--page-size`'s help: the default page sizes are the generated listings'.
fn page_size_help<R: Resource>() -> String {
    let list = <R::List as Operation>::DEFAULT_PAGE_SIZE;
    let search = <R::Search as Operation>::DEFAULT_PAGE_SIZE;
    let many = R::MANY;
    let mut many = many.chars();
    let capital: String = many
        .next()
        .into_iter()
        .flat_map(char::to_uppercase)
        .collect();
    format!(
        "{capital}{} per request (list: 1-1000, default {list}; search: 1-250, default {search})",
        many.as_str()
    )
}

/// Which fields of each record to print.
#[derive(Debug, Args)]
pub struct Columns<R: Resource> {
    #[arg(
        long,
        value_name = "FIELD,...",
        value_delimiter = ',',
        value_parser = clap::builder::PossibleValuesParser::new(R::csv_header()),
        help = format!(
            "Print only these fields of each {}, in this order, in every format (a table's \
             columns, CSV's, the keys of JSON objects), e.g. --fields id,name,email",
            R::ONE
        )
    )]
    pub fields: Vec<String>,
    #[arg(skip)]
    _resource: PhantomData<R>,
}

/// `list`.
#[derive(Debug, Args)]
pub struct ListArgs<R: Resource> {
    #[command(flatten)]
    pub chatbot: Chatbot,
    #[command(flatten)]
    pub window: Window<R>,
    #[command(flatten)]
    pub columns: Columns<R>,
    #[arg(long, value_name = "TIME", help = format!(
        "Only {} created strictly before this instant (RFC 3339, e.g. 2025-01-31T00:00:00Z)",
        R::MANY
    ))]
    pub before: Option<DateTime<Utc>>,
    #[arg(long, value_name = "FILE", requires = "all", conflicts_with = "before", help = format!(
        "Incremental sync: only the {many} created since the checkpoint in FILE (all of them \
         when FILE does not exist yet), then FILE is replaced (atomically) by the new checkpoint. \
         A run that is stopped (Ctrl-C), fails or meets an odd record saves how far it got, and \
         the next run goes on from there: nothing it wrote comes again (after a kill, at most the \
         {many} of one page size written after its last save). FILE is locked while a run uses \
         it. The API lists by creation time only: a sync never sees updates or deletions (run a \
         full export now and then for those; --parallel makes it cheap). Needs --all",
        many = R::MANY
    ))]
    pub checkpoint: Option<PathBuf>,
    #[arg(long, requires = "checkpoint", help = format!(
        "With --checkpoint: list every {} again, whatever FILE holds (even a file that is not a \
         checkpoint), and replace FILE with the new checkpoint",
        R::ONE
    ))]
    pub from_start: bool,
    #[arg(long, value_name = "SECONDS", requires = "checkpoint", help = format!(
        "With --checkpoint: list again the {many} created up to SECONDS before the checkpoint and \
         print those earlier runs did not, so a {one} that became visible late (a slow insert, \
         server clocks apart) is not missed. Kept in FILE for later runs; 0 turns it off",
        many = R::MANY,
        one = R::ONE
    ))]
    pub lookback: Option<u32>,
    #[arg(long, value_name = "N", requires = "all", help = format!(
        "Page N time ranges of the list at once (every {} still once, not newest first across \
         ranges): about N times faster on a slow link. Needs --all",
        R::ONE
    ))]
    pub parallel: Option<usize>,
}

/// `search`.
#[derive(Debug, Args)]
pub struct SearchArgs<R: Resource> {
    #[command(flatten)]
    pub chatbot: Chatbot,
    /// The text to look for.
    pub query: String,
    #[command(flatten)]
    pub window: Window<R>,
    #[command(flatten)]
    pub columns: Columns<R>,
}

/// Commands on one contact.
#[derive(Debug, Args)]
pub struct IdArgs {
    #[command(flatten)]
    pub chatbot: Chatbot,
    /// The contact's ID.
    // Not `<ID>`: the usage line also shows `--chatbot <ID>`, and two `<ID>`s read as one.
    #[arg(value_name = "CONTACT_ID")]
    pub id: String,
}

/// `contacts get`.
#[derive(Debug, Args)]
pub struct GetArgs {
    #[command(flatten)]
    pub target: IdArgs,
    #[command(flatten)]
    pub columns: Columns<Contact>,
}

/// `contacts delete`.
#[derive(Debug, Args)]
pub struct DeleteArgs {
    #[command(flatten)]
    pub target: IdArgs,
    /// Delete without asking (required when stdin is not a terminal).
    #[arg(long, short)]
    pub yes: bool,
}

/// Fields a new or changed contact can have; a flag overrides the same field in the file.
#[derive(Debug, Args)]
pub struct Fields {
    /// Read fields from this JSON object (API field names: name, email, phoneNumber, ...).
    #[arg(long, value_name = "PATH")]
    pub from_file: Option<PathBuf>,
    /// Language code, e.g. EN or DE.
    #[arg(long)]
    pub language: Option<String>,
    /// Name.
    #[arg(long)]
    pub name: Option<String>,
    /// E-mail address.
    #[arg(long)]
    pub email: Option<String>,
    /// Phone number, international format.
    #[arg(long)]
    pub phone_number: Option<String>,
    /// WhatsApp ID.
    #[arg(long)]
    pub whatsapp_id: Option<String>,
    /// ID in the web chat.
    #[arg(long)]
    pub web_id: Option<String>,
    /// Instagram ID.
    #[arg(long)]
    pub instagram_id: Option<String>,
    /// Facebook ID.
    #[arg(long)]
    pub facebook_id: Option<String>,
    /// Telegram ID.
    #[arg(long)]
    pub telegram_id: Option<String>,
    /// ID at an external provider.
    #[arg(long)]
    pub provider_id: Option<String>,
    /// URL of an avatar image.
    #[arg(long)]
    pub avatar: Option<String>,
}

/// `contacts create`.
#[derive(Debug, Args)]
// Said here, not in `Fields`: `update` shares the flag and needs no language.
#[command(mut_arg("language", |arg| {
    arg.help("Language code, e.g. EN or DE (required: from this flag or the file)")
}))]
pub struct CreateArgs {
    #[command(flatten)]
    pub chatbot: Chatbot,
    #[command(flatten)]
    pub fields: Fields,
}

/// `contacts update`.
#[derive(Debug, Args)]
pub struct UpdateArgs {
    #[command(flatten)]
    pub target: IdArgs,
    #[command(flatten)]
    pub fields: Fields,
    /// Set a variable, KEY=VALUE; repeatable. The other stored variables are kept: the contact is
    /// read first and sent back with the change (a change to its variables made by someone else
    /// in between is lost). A "variables" object in --from-file replaces them all instead.
    #[arg(long = "var", value_name = "KEY=VALUE", value_parser = parse_var)]
    pub vars: Vec<(String, String)>,
    /// An organization the contact belongs to; repeatable. Replaces the stored list.
    #[arg(long = "organization-id", value_name = "ID")]
    pub organization_ids: Vec<String>,
}

fn parse_var(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((k, v)) if !k.is_empty() => Ok((k.to_owned(), v.to_owned())),
        _ => Err(format!("{s:?} is not KEY=VALUE")),
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn command_line_definition_is_consistent() {
        super::Cli::command().debug_assert();
    }
}
