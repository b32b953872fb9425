//! Unions decode into the right variant and lose nothing: every shape of
//! `tests/definitions/unions.yaml` decodes sample JSON through the generated types, is checked
//! variant by variant and field by field, and re-encodes to the same JSON. One response is
//! also fetched through the generated client from a local axum server.

use std::time::Duration;

use axum::routing::get;
use axum::Router;
use connectorkit_tests::unions::{
    AnyPet, BinRangedouble, Campaign, Circle, Client, Contact, DropletAction, InstanceState,
    Reptile, RouteTarget, Scalar, Shape,
};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};

/// Decodes `v` as `T` and checks that re-encoding gives `v` back (no field lost or added).
fn round_trip<T: DeserializeOwned + Serialize>(v: Value) -> T {
    let t: T =
        serde_json::from_value(v.clone()).unwrap_or_else(|e| panic!("{v} does not decode: {e}"));
    assert_eq!(
        serde_json::to_value(&t).unwrap(),
        v,
        "re-encoded differently"
    );
    t
}

#[test]
fn nexus_range_is_internally_tagged_and_keeps_both_bounds() {
    let r: BinRangedouble = round_trip(json!({"type": "range", "start": 1.0, "end": 2.0}));
    match r {
        BinRangedouble::Range(r) => assert_eq!((r.start, r.end), (1.0, 2.0)),
        other => panic!("wrong variant: {other:?}"),
    }
    let r: BinRangedouble = round_trip(json!({"type": "range_to", "end": 2.5}));
    assert!(
        matches!(r, BinRangedouble::RangeTo(ref t) if t.end == 2.5),
        "{r:?}"
    );
    let r: BinRangedouble = round_trip(json!({"type": "range_from", "start": -1.0}));
    assert!(
        matches!(r, BinRangedouble::RangeFrom(ref f) if f.start == -1.0),
        "{r:?}"
    );
    // An unknown tag is an error, not a silently wrong variant.
    assert!(serde_json::from_value::<BinRangedouble>(json!({"type": "nope", "end": 1.0})).is_err());
}

#[test]
fn tag_and_value_members_are_adjacently_tagged() {
    let r: RouteTarget = round_trip(json!({"type": "ip", "value": "10.0.0.1"}));
    assert_eq!(r, RouteTarget::Ip("10.0.0.1".to_string()));
    let r: RouteTarget = round_trip(json!({"type": "vpc", "value": "main"}));
    assert_eq!(r, RouteTarget::Vpc("main".to_string()));
    let r: RouteTarget = round_trip(json!({"type": "drop"}));
    assert_eq!(r, RouteTarget::Drop);
}

#[test]
fn const_tags_make_struct_and_unit_variants() {
    let s: Shape = round_trip(json!({"kind": "square", "side": 3, "label": "a"}));
    match s {
        Shape::Square(sq) => assert_eq!((sq.side, sq.label.as_deref()), (3, Some("a"))),
        other => panic!("wrong variant: {other:?}"),
    }
    let s: Shape = round_trip(json!({"kind": "square", "side": 4}));
    assert!(matches!(s, Shape::Square(ref sq) if sq.side == 4 && sq.label.is_none()));
    let s: Shape = round_trip(json!({"kind": "circle", "radius": 1.5}));
    assert!(
        matches!(s, Shape::Circle(ref c) if c.radius == 1.5),
        "{s:?}"
    );
    let s: Shape = round_trip(json!({"kind": "empty"}));
    assert_eq!(s, Shape::Empty);
}

#[test]
fn a_named_member_keeps_its_tag_when_used_on_its_own() {
    let c: Circle = round_trip(json!({"kind": "circle", "radius": 2.0}));
    assert_eq!(c.kind.as_ref().map(|k| k.as_str()), Some("circle"));
}

#[test]
fn discriminator_with_mapping_over_all_of_members() {
    let p: AnyPet = round_trip(json!({"petType": "cat", "name": "Tom", "indoor": true}));
    match p {
        AnyPet::Cat(c) => assert_eq!((c.name.as_str(), c.indoor), ("Tom", Some(true))),
        other => panic!("wrong variant: {other:?}"),
    }
    let p: AnyPet = round_trip(json!({"petType": "dog", "name": "Rex", "bark": "woof"}));
    assert!(
        matches!(p, AnyPet::Dog(ref d) if d.bark == "woof" && d.name == "Rex"),
        "{p:?}"
    );
}

#[test]
fn several_tags_mapping_to_one_member_are_a_variant_each() {
    for (tag, want) in [("power_on", "PowerOn"), ("shutdown", "Shutdown")] {
        let a: DropletAction = round_trip(json!({ "type": tag }));
        let got = match a {
            DropletAction::PowerOn(_) => "PowerOn",
            DropletAction::Shutdown(_) => "Shutdown",
            DropletAction::Snapshot(_) => "Snapshot",
        };
        assert_eq!(got, want);
    }
    let a: DropletAction = round_trip(json!({"type": "snapshot", "name": "nightly"}));
    assert!(
        matches!(a, DropletAction::Snapshot(ref s) if s.name.as_deref() == Some("nightly")),
        "{a:?}"
    );
}

#[test]
fn a_union_beside_type_object_is_still_the_union() {
    use connectorkit_tests::unions::RepoRule;
    let r: RepoRule =
        round_trip(json!({"type": "branch_name_pattern", "parameters": {"pattern": "main"}}));
    assert!(
        matches!(r, RepoRule::BranchNamePattern(ref p) if p.pattern.as_deref() == Some("main")),
        "{r:?}"
    );
    assert!(matches!(
        round_trip::<RepoRule>(json!({"type": "creation"})),
        RepoRule::Creation
    ));
}

#[test]
fn overlapping_members_take_the_value_that_loses_nothing() {
    use connectorkit_tests::unions::CommandOption;
    let o: CommandOption = round_trip(json!({"type": 3, "name": "q", "min_length": 2}));
    assert!(
        matches!(o, CommandOption::TextOption(ref t) if t.min_length == Some(2)),
        "{o:?}"
    );
    let o: CommandOption = round_trip(json!({"type": 11, "name": "file"}));
    assert!(matches!(o, CommandOption::AttachmentOption(_)), "{o:?}");
}

#[test]
fn discriminator_without_mapping_uses_schema_names() {
    let r: Reptile = round_trip(json!({"species": "Snake", "length": 2.5}));
    assert!(
        matches!(r, Reptile::Snake(ref s) if s.length == Some(2.5)),
        "{r:?}"
    );
    let r: Reptile = round_trip(json!({"species": "Lizard", "legs": 4}));
    assert!(
        matches!(r, Reptile::Lizard(ref l) if l.legs == Some(4)),
        "{r:?}"
    );
}

#[test]
fn one_value_string_members_are_one_string_enum() {
    assert_eq!(
        round_trip::<InstanceState>(json!("running")),
        InstanceState::Running
    );
    assert_eq!(
        round_trip::<InstanceState>(json!("creating")),
        InstanceState::Creating
    );
    assert_eq!(
        round_trip::<InstanceState>(json!("rebooting")),
        InstanceState::Unknown("rebooting".into())
    );
}

#[test]
fn primitives_are_an_enum_of_primitives_integer_before_number() {
    assert_eq!(round_trip::<Scalar>(json!(7)), Scalar::Integer(7));
    assert_eq!(round_trip::<Scalar>(json!(7.5)), Scalar::Number(7.5));
    assert_eq!(round_trip::<Scalar>(json!(true)), Scalar::Boolean(true));
    assert_eq!(round_trip::<Scalar>(json!("x")), Scalar::String("x".into()));
    assert_eq!(
        round_trip::<Scalar>(json!(["a", "b"])),
        Scalar::StringList(vec!["a".into(), "b".into()])
    );
    assert_eq!(
        round_trip::<Scalar>(json!({"k": 1})),
        Scalar::Other(json!({"k": 1}))
    );
}

#[test]
fn untagged_tries_the_superset_first_and_keeps_raw_values() {
    let c: Contact = round_trip(json!({"email": "a@b", "phone": "1", "name": "Ann"}));
    assert!(
        matches!(c, Contact::Card(ref k) if k.name.as_deref() == Some("Ann")),
        "{c:?}"
    );
    let c: Contact = round_trip(json!({"phone": "1", "ext": "2"}));
    assert!(
        matches!(c, Contact::Phone(ref p) if p.ext.as_deref() == Some("2")),
        "{c:?}"
    );
    let c: Contact = round_trip(json!({"email": "a@b"}));
    assert!(matches!(c, Contact::Email(_)), "{c:?}");
    let c: Contact = round_trip(json!(42));
    assert_eq!(c, Contact::Other(json!(42)));
}

#[test]
fn a_required_nullable_property_must_be_present_to_pick_its_variant() {
    let c: Campaign = round_trip(json!({"sid": "a"}));
    assert!(matches!(c, Campaign::V1(_)), "{c:?}");
    let c: Campaign = round_trip(json!({"sid": "a", "policy_url": null}));
    assert!(
        matches!(c, Campaign::V2(ref v) if v.policy_url.is_none()),
        "{c:?}"
    );
    let c: Campaign = round_trip(json!({"policy_url": "https://x.example/p"}));
    assert!(
        matches!(c, Campaign::V2(ref v) if v.policy_url.is_some()),
        "{c:?}"
    );
}

#[tokio::test]
async fn a_response_decodes_through_the_client() {
    let body = json!({
        "range": {"type": "range", "start": 1.0, "end": 2.0},
        "route": {"type": "vpc", "value": "main"},
        "shape": {"kind": "empty"},
        "pet": {"petType": "dog", "name": "Rex", "bark": "woof"},
        "scalar": 3,
        "state": "running",
        "contacts": [{"email": "a@b", "phone": "1"}, {"phone": "2"}, "free text"]
    });
    let served = body.clone();
    let app = Router::new().route(
        "/things",
        get(move || {
            let b = served.clone();
            async move { axum::Json(b) }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let client = Client::new()
        .unwrap()
        .with_base_url(&format!("http://{addr}"))
        .unwrap();
    let things = tokio::time::timeout(Duration::from_secs(60), client.get_things())
        .await
        .expect("the local server did not answer within 60 s")
        .unwrap();
    assert!(matches!(things.range, Some(BinRangedouble::Range(_))));
    assert_eq!(things.route, Some(RouteTarget::Vpc("main".into())));
    assert_eq!(things.shape, Some(Shape::Empty));
    assert_eq!(things.scalar, Some(Scalar::Integer(3)));
    assert_eq!(things.state, Some(InstanceState::Running));
    let contacts = things.contacts.as_deref().unwrap_or_default();
    assert!(matches!(contacts[0], Contact::Card(_)));
    assert!(matches!(contacts[1], Contact::Phone(_)));
    assert_eq!(contacts[2], Contact::Other(json!("free text")));
    assert_eq!(serde_json::to_value(&things).unwrap(), body);
}

#[test]
fn any_of_objects_is_one_struct_and_keeps_every_member_property() {
    let links: connectorkit_tests::unions::PageLinks = round_trip(json!({
        "pages": {"first": "/p/1", "prev": "/p/2", "next": "/p/4", "last": "/p/9"}
    }));
    match links.pages {
        Some(connectorkit_tests::unions::PageLinksPages::Object(p)) => {
            assert_eq!(p.first.as_deref(), Some("/p/1"));
            assert_eq!(p.last.as_deref(), Some("/p/9"));
        }
        other => panic!("{other:?}"),
    }
    // The free member: anything else is kept as it came.
    let links: connectorkit_tests::unions::PageLinks = round_trip(json!({"pages": "none"}));
    assert!(matches!(
        links.pages,
        Some(connectorkit_tests::unions::PageLinksPages::Other(_))
    ));
    // No free member: a struct, `team` required (both members require it), the rest optional.
    let a: connectorkit_tests::unions::Audience =
        round_trip(json!({"team": "core", "size": 3, "region": "eu"}));
    assert_eq!(
        (a.team.as_str(), a.size, a.region.as_deref()),
        ("core", Some(3), Some("eu"))
    );
    assert!(
        serde_json::from_value::<connectorkit_tests::unions::Audience>(json!({"size": 1})).is_err()
    );
    // Differently documented, different enum lists: one struct; every listed value decodes.
    use connectorkit_tests::unions::CaptureOptions;
    let o: CaptureOptions = round_trip(json!({
        "capture_method": "manual", "setup_future_usage": "off_session", "verification_method": "instant"
    }));
    assert_eq!(
        o.verification_method
            .map(|v| v.as_str().to_string())
            .as_deref(),
        Some("instant")
    );
    let o: CaptureOptions = round_trip(json!({"setup_future_usage": "none"}));
    assert_eq!(
        o.setup_future_usage
            .map(|v| v.as_str().to_string())
            .as_deref(),
        Some("none")
    );
}
