//! Load every scenario named on the command line and print its first error or its hash.
use miette::Report;
fn main() {
    for arg in std::env::args().skip(1) {
        match wedge_scenario::load(std::path::Path::new(&arg)) {
            Ok(s) => println!("{arg}: ok {}", &s.hash[..12]),
            Err(e) => println!("{:?}", Report::new(e)),
        }
    }
}
