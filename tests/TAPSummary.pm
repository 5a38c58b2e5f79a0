# tests/TAPSummary.pm — prove's own report, then the one line `make check` ends with:
# "N passed, N failed, N skipped". tests/run loads it (prove --formatter TAPSummary).
#   passed    "ok" tests, not skipped
#   failed    "not ok" tests; a program with a bad plan or exit status but no "not ok" counts as one
#   skipped   "ok … # skip" tests, and a whole program that skipped itself ("1..0 # SKIP")
# A known breakage ("not ok … # TODO", tests/lib.sh's test_expect_failure) is none of these: it is named on
# a line of its own above the summary. One that passes again counts as passed.
package TAPSummary;
use strict;
use warnings;
use TAP::Formatter::Console;
use TAP::Formatter::File;

# prove's choice: the live console on a terminal, whole reports per program otherwise
our @ISA = -t STDOUT && !$ENV{HARNESS_NOTTY} ? ('TAP::Formatter::Console') : ('TAP::Formatter::File');

sub summary {
    my ( $self, $aggregate, $interrupted ) = @_;
    $self->SUPER::summary( $aggregate, $interrupted );
    my ( $passed, $failed, $skipped, @known ) = ( 0, 0, 0 );
    for my $name ( $aggregate->descriptions ) {
        my ($p) = $aggregate->parsers($name);
        if ( $p->skip_all ) {
            $skipped++;
            next;
        }
        my %todo = map { $_ => 1 } $p->todo;
        my %fixed = map { $_ => 1 } $p->todo_passed;
        my ( $ok, $skip ) = ( 0, 0 );
        for my $n ( $p->passed ) {
            if ( $todo{$n} && !$fixed{$n} ) { push @known, "$name $n" }
            elsif ( grep { $_ == $n } $p->skipped ) { $skip++ }
            else { $ok++ }
        }
        my $bad = scalar $p->failed;
        $bad = 1 if !$bad && $p->has_problems;
        ( $passed, $failed, $skipped ) = ( $passed + $ok, $failed + $bad, $skipped + $skip );
    }
    $self->_output( sprintf "%d known breakage%s (not ok # TODO): %s\n", scalar @known, @known == 1 ? '' : 's',
        join ', ', @known ) if @known;
    $self->_output("$passed passed, $failed failed, $skipped skipped\n");
}

1;
