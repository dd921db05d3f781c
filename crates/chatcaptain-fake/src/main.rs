//! `chatcaptain-fake`: serve the fake contacts API for curl, the SDK or the CLI.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use clap::Parser;

use chatcaptain_fake::{DEFAULT_API_KEY, DEFAULT_CHATBOT, DEFAULT_SEED, FakeServer};

/// Serve an in-memory fake of the ChatCaptain contacts API.
#[derive(Debug, Parser)]
#[command(version)]
struct Args {
    /// Port to listen on (0: any free port).
    #[arg(long, default_value_t = 8080)]
    port: u16,
    /// Address to listen on; loopback unless told otherwise.
    #[arg(long, default_value_t = IpAddr::V4(Ipv4Addr::LOCALHOST))]
    host: IpAddr,
    /// The API key clients must send in `x-chatcaptain-key`.
    #[arg(long, default_value = DEFAULT_API_KEY)]
    api_key: String,
    /// How many generated contacts to seed.
    #[arg(long, default_value_t = 0)]
    contacts: u64,
    /// How many generated organizations to seed.
    #[arg(long, default_value_t = 0)]
    organizations: u64,
    /// The chatbot the key belongs to, which gets the seeded contacts and organizations (any
    /// other chatbot id is answered 403, as by the API).
    #[arg(long, default_value = DEFAULT_CHATBOT)]
    chatbot: String,
    /// Seed of the generated data.
    #[arg(long, default_value_t = DEFAULT_SEED)]
    seed: u64,
}

#[tokio::main]
async fn main() {
    let args = Args::parse();
    let server = FakeServer::builder()
        .api_key(args.api_key.clone())
        .chatbot(args.chatbot.clone())
        .seed(args.seed)
        .seed_contacts(args.chatbot.clone(), args.contacts)
        .seed_organizations(args.chatbot.clone(), args.organizations)
        .bind(SocketAddr::new(args.host, args.port))
        .try_start()
        .await;
    let server = match server {
        Ok(server) => server,
        Err(error) => {
            eprintln!("chatcaptain-fake: {error}");
            std::process::exit(1);
        }
    };
    println!(
        "chatcaptain-fake listening on {} (key {:?}, {} contacts and {} organizations in chatbot {:?}); \
         Ctrl-C stops it",
        server.base_url(),
        args.api_key,
        args.contacts,
        args.organizations,
        args.chatbot
    );
    if let Err(error) = server.run_until_ctrl_c().await {
        eprintln!("chatcaptain-fake: {error}");
        std::process::exit(1);
    }
}
