//! A component of another world (`greeter`): the host must refuse it at load,
//! saying it does not export `warden:policy/guard`.

wit_bindgen::generate!({
    inline: "
        package test:greeter;
        world greeter { export greet: func(name: string) -> string; }
    ",
});

struct Greeter;

impl Guest for Greeter {
    fn greet(name: String) -> String {
        format!("hello {name}")
    }
}

export!(Greeter);
