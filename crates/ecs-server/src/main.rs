//! `ecs-server`: the endpoint alone, the same as `ecs-playground serve`
//! (the tests and the load benchmark start it without building the CLI).

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "--help" || a == "-h") {
        print!("{}", ecs_server::USAGE);
        return ExitCode::SUCCESS;
    }
    match ecs_server::ServeOptions::from_args(&args).and_then(ecs_server::run) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("ecs-server: {message}");
            ExitCode::from(2)
        }
    }
}
