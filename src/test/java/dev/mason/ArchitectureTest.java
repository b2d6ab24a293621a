package dev.mason;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import dev.mason.web.ApiError;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The room graph the build keeps (DESIGN.md, docs/architecture.md): each package is a room, and
 * the rooms talk through small interfaces, never in a circle and never through another room's
 * tables. Reads the compiled main classes only; fails with every offending dependency listed.
 */
class ArchitectureTest {
  private static JavaClasses mason;

  @BeforeAll
  static void importClasses() {
    mason = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
        .importPackages("dev.mason");
  }

  @Test
  void no_two_rooms_depend_on_each_other_even_through_others() {
    slices().matching("dev.mason.(**)").namingSlices("$1")
        .should().beFreeOfCycles()
        .check(mason);
  }

  @Test
  void only_the_entry_point_knows_every_room_and_no_room_knows_the_entry_point() {
    noClasses().that().resideOutsideOfPackage("dev.mason")
        .should().dependOnClassesThat().resideInAPackage("dev.mason")
        .check(mason);
  }

  @Test
  void a_room_reads_another_rooms_data_through_its_service_never_through_its_store() {
    classes().that().haveSimpleNameEndingWith("Store")
        .should(onlyBeUsedInTheirOwnRoom())
        .check(mason);
  }

  @Test
  void services_refuse_with_their_own_exceptions_not_the_web_rooms_api_error() {
    noClasses().that().haveSimpleNameEndingWith("Service")
        .should().dependOnClassesThat().areAssignableTo(ApiError.class)
        .check(mason);
  }

  private static ArchCondition<JavaClass> onlyBeUsedInTheirOwnRoom() {
    return new ArchCondition<>("be used only by classes of their own package") {
      @Override
      public void check(JavaClass store, ConditionEvents events) {
        for (Dependency dependency : store.getDirectDependenciesToSelf()) {
          JavaClass user = dependency.getOriginClass();
          if (!user.getPackageName().equals(store.getPackageName())) {
            events.add(SimpleConditionEvent.violated(dependency, dependency.getDescription()));
          }
        }
      }
    };
  }
}
